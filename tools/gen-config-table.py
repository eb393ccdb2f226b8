#!/usr/bin/env python3
"""Extracts configuration *facts* (name, alias, type, flags, default, bounds, enum values)
from a Redis source tree's src/config.c into Trellis's config table (TSV). Only data is
taken; none of Redis's code.

usage: tools/gen-config-table.py config.c server.h > redis-configs.tsv
"""
import re, sys

src = open(sys.argv[1]).read()
hdr = open(sys.argv[2]).read()

def split_args(s):
    out, depth, cur, q = [], 0, '', None
    for ch in s:
        if q:
            cur += ch
            if ch == q and not cur.endswith('\\' + q):
                q = None
            continue
        if ch in '"\'':
            q = ch; cur += ch; continue
        if ch in '({[':
            depth += 1
        elif ch in ')}]':
            depth -= 1
        if ch == ',' and depth == 0:
            out.append(cur.strip()); cur = ''
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out

enums = {}
for m in re.finditer(r'configEnum\s+(\w+)\[\]\s*=\s*\{(.*?)\};', src, re.S):
    enums[m.group(1)] = re.findall(r'\{\s*"([^"]+)"', m.group(2))

defines = dict(re.findall(r'#define\s+(\w+)\s+\(?(-?[0-9][0-9xXa-fA-FLlUu]*)\)?\s*(?:/\*.*)?$', hdr, re.M))
consts = {'LLONG_MAX': str(2**63-1), 'LLONG_MIN': str(-2**63), 'LONG_MAX': str(2**63-1), 'LONG_MIN': str(-2**63),
          'INT_MAX': str(2**31-1), 'INT_MIN': str(-2**31), 'UINT_MAX': str(2**32-1), 'ULONG_MAX': str(2**64-1),
          'ULLONG_MAX': str(2**64-1), 'SIZE_MAX': str(2**64-1), 'SSIZE_MAX': str(2**63-1), 'LONG_LONG_MAX': str(2**63-1)}

def num(x):
    x = x.strip().replace('(', '').replace(')', '')
    if x in consts: return consts[x]
    if x in defines: x = defines[x]
    x = re.sub(r'(?<=[0-9])[uUlL]+', '', x)
    try:
        return str(eval(x, {}, {k: int(re.sub(r'[uUlL]+$', '', v), 0) for k, v in defines.items() if re.match(r'^-?[0-9]', v)}))
    except Exception:
        return x

start = src.index('standardConfig static_configs[]')
body = src[start:src.index('};', start)]
def entries(text):
    """Yields (kind, argument text) for each createXxxConfig(...) call, matching parentheses
    (a regex stopping at the first "),<newline>" would swallow entries followed by comments)."""
    for m in re.finditer(r'create(\w+)Config\(', text):
        depth, i, q = 1, m.end(), None
        while depth:
            ch = text[i]
            if q:
                if ch == '\\':
                    i += 1
                elif ch == q:
                    q = None
            elif ch in '"\'':
                q = ch
            elif ch == '(':
                depth += 1
            elif ch == ')':
                depth -= 1
            i += 1
        yield m.group(1), text[m.end():i - 1]

for kind, argtext in entries(body):
    args = split_args(argtext)
    name = args[0].strip('"')
    alias = args[1].strip('"') if args[1] != 'NULL' else '-'
    flags = ','.join(f.replace('_CONFIG', '').lower() for f in re.findall(r'(\w+_CONFIG)', args[2])) or '-'
    extra = ''
    if kind == 'Bool':
        default = 'yes' if args[4] == '1' else 'no'
    elif kind in ('String', 'SDS'):
        d = args[5]
        if re.match(r'^[A-Z_][A-Z0-9_]*$', d) and d != 'NULL':
            sm = re.search(r'#define\s+' + d + r'\s+"([^"]*)"', hdr)
            d = '"' + sm.group(1) + '"' if sm else d
        default = d.strip('"') if d != 'NULL' else ''
    elif kind == 'Enum':
        default_sym = args[5]
        vals = enums.get(args[3], [])
        extra = '|'.join(vals)
        # map the default constant to its enum name
        em = re.search(r'configEnum\s+' + args[3] + r'\[\]\s*=\s*\{(.*?)\};', src, re.S)
        default = ''
        if em:
            for nm, val in re.findall(r'\{\s*"([^"]+)"\s*,\s*([^}]+)\}', em.group(1)):
                if val.strip() == default_sym.strip():
                    default = nm; break
    elif kind == 'Special':
        default = ''
    else:
        lo, hi, default = num(args[3]), num(args[4]), num(args[6])
        memflag = 'MEMORY_CONFIG' in args[7] if len(args) > 7 else False
        kind = kind + ('/memory' if memflag else '')
        extra = lo + '..' + hi
    print('\t'.join([kind.lower(), name, alias, flags, default if default != '' else '""', extra or '-']))
