#!/usr/bin/env python3
"""Extracts command *facts* (arity, flags, key specs, ACL categories, argument
structure, group, since) from a Redis source tree's src/commands/*.json into
Trellis's own compact command table. Prose (summaries, complexity, history
notes) is deliberately left out.

usage: tools/gen-command-table.py <dir with Redis command json files> > commands.json
"""
import json, os, sys

def args_of(args):
    out = []
    for a in args or []:
        e = {"name": a["name"], "type": a["type"]}
        for k in ("token", "key_spec_index", "display", "since", "deprecated_since"):
            if k in a:
                e[k] = a[k]
        fl = [f for f in ("optional", "multiple", "multiple_token") if a.get(f)]
        if fl:
            e["flags"] = fl
        if "arguments" in a:
            e["arguments"] = args_of(a["arguments"])
        out.append(e)
    return out

def main(src):
    table = {}
    for fn in sorted(os.listdir(src)):
        if not fn.endswith(".json"):
            continue
        with open(os.path.join(src, fn)) as f:
            doc = json.load(f)
        for name, c in doc.items():
            e = {"group": c.get("group"), "since": c.get("since"), "arity": c["arity"]}
            e["flags"] = [f.lower() for f in c.get("command_flags", [])]
            e["acl"] = [f.lower() for f in c.get("acl_categories", [])]
            if c.get("doc_flags"):
                e["doc_flags"] = [f.lower() for f in c["doc_flags"]]
            if c.get("command_tips"):
                e["tips"] = [t.lower() for t in c["command_tips"]]
            if c.get("key_specs"):
                ks = []
                for s in c["key_specs"]:
                    k = {"flags": s.get("flags", []), "begin_search": s["begin_search"],
                         "find_keys": s["find_keys"]}
                    ks.append(k)
                e["key_specs"] = ks
            if c.get("get_keys_function"):
                e["getkeys"] = True
            if c.get("arguments"):
                e["arguments"] = args_of(c["arguments"])
            if c.get("deprecated_since"):
                e["deprecated_since"] = c["deprecated_since"]
            if c.get("replaced_by"):
                e["replaced_by"] = c["replaced_by"]
            key = name.lower()
            if "container" in c:
                table.setdefault(c["container"].lower(), {}).setdefault("subcommands", {})[key] = e
            else:
                table.setdefault(key, {}).update(e)
    json.dump(table, sys.stdout, indent=0, sort_keys=True, separators=(",", ":"))
    sys.stdout.write("\n")

main(sys.argv[1])
