package dev.trellis.server.module;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code RedisModuleCallReply}: the reply of a command run with Call, parsed from the RESP the
 * command wrote. Every node keeps the byte range of its own protocol text (so it can be sent on
 * as is) and, for strings, where its bytes are; nested nodes belong to the root and are freed
 * with it.
 */
public final class CallReply {
    public static final int STRING = 0;
    public static final int ERROR = 1;
    public static final int INTEGER = 2;
    public static final int ARRAY = 3;
    public static final int NULL = 4;
    public static final int MAP = 5;
    public static final int SET = 6;
    public static final int BOOL = 7;
    public static final int DOUBLE = 8;
    public static final int BIG_NUMBER = 9;
    public static final int VERBATIM = 10;
    public static final int ATTRIBUTE = 11;
    public static final int PROMISE = 12;

    private final CallReply root;
    private final byte[] proto;
    private int type;
    private int start;
    private int end;
    /** Integer value, or boolean (0/1). */
    private long integer;
    private double dbl;
    /** String/error/verbatim/big-number bytes: offset and length in {@link #proto}. */
    private int strOff;
    private int strLen;
    /** Verbatim format ("txt"), else null. */
    private String format;
    private CallReply[] elements;
    private CallReply attribute;
    /** Root only: the reply was produced for a RESP3 client. */
    private boolean resp3;
    /** PROMISE only: the blocked command's promise. */
    private CallPromise promise;
    /** Root only: error replies the command produced (counted only if the reply is sent on). */
    private List<String> errors = List.of();
    /** Native face: handle address of this node, and (root) the native copy of the protocol. */
    public long address;
    public long nativeProto;
    /** Native face, roots only: the RedisModuleCtx* whose auto memory owns the tree (0 if none). */
    public long ownerCtx;

    private CallReply(CallReply root, byte[] proto) {
        this.root = root == null ? this : root;
        this.proto = proto;
    }

    /** Parses a complete reply; {@code resp3} says which protocol the command answered in. */
    public static CallReply parse(byte[] proto, boolean resp3, List<String> errors) {
        CallReply r = new CallReply(null, proto);
        r.resp3 = resp3;
        r.errors = errors == null ? List.of() : errors;
        int end = r.parseAt(0);
        if (end != proto.length) {
            // Several top-level replies (should not happen); keep the first.
            r.end = end;
        }
        return r;
    }

    /** An error reply made by Call itself (errors as replies, 'E'). */
    public static CallReply error(String message) {
        String line = message.replace('\r', ' ').replace('\n', ' ');
        byte[] p = ("-" + line + "\r\n").getBytes(StandardCharsets.UTF_8);
        // Counted in errorstats if the module replies with it, as Redis's callReplyCreateError.
        return parse(p, false, List.of(line));
    }

    /** The reply of a Call whose command blocked ('K'): REDISMODULE_REPLY_PROMISE, with no protocol text. */
    public static CallReply promise(CallPromise p) {
        CallReply r = new CallReply(null, new byte[0]);
        r.type = PROMISE;
        r.promise = p;
        return r;
    }

    /** The promise of a PROMISE reply, else null. */
    public CallPromise promise() {
        return promise;
    }

    private int parseAt(int pos) {
        start = pos;
        int attrEnd = pos;
        if (proto[pos] == '|') {
            CallReply attr = new CallReply(root, proto);
            attrEnd = attr.parseAggregate(pos, ATTRIBUTE, 2);
            attribute = attr;
            pos = attrEnd;
        }
        byte t = proto[pos];
        int lineEnd = lineEnd(pos);
        switch (t) {
            case '+' -> {
                type = STRING;
                strOff = pos + 1;
                strLen = lineEnd - pos - 1;
                end = lineEnd + 2;
            }
            case '-' -> {
                type = ERROR;
                strOff = pos + 1;
                strLen = lineEnd - pos - 1;
                end = lineEnd + 2;
            }
            case ':' -> {
                type = INTEGER;
                integer = number(pos + 1, lineEnd);
                end = lineEnd + 2;
            }
            case '$', '=' -> {
                long n = number(pos + 1, lineEnd);
                if (n < 0) {
                    type = NULL;
                    end = lineEnd + 2;
                } else {
                    strOff = lineEnd + 2;
                    strLen = (int) n;
                    type = STRING;
                    if (t == '=') {
                        type = VERBATIM;
                        format = new String(proto, strOff, Math.min(3, strLen), StandardCharsets.US_ASCII);
                        strOff += 4;
                        strLen -= 4;
                    }
                    end = lineEnd + 2 + (int) n + 2;
                }
            }
            case '_' -> {
                type = NULL;
                end = lineEnd + 2;
            }
            case '#' -> {
                type = BOOL;
                integer = proto[pos + 1] == 't' ? 1 : 0;
                end = lineEnd + 2;
            }
            case ',' -> {
                type = DOUBLE;
                dbl = parseDouble(text(pos + 1, lineEnd));
                end = lineEnd + 2;
            }
            case '(' -> {
                type = BIG_NUMBER;
                strOff = pos + 1;
                strLen = lineEnd - pos - 1;
                end = lineEnd + 2;
            }
            case '*', '>' -> end = parseAggregate(pos, ARRAY, 1);
            case '~' -> end = parseAggregate(pos, SET, 1);
            case '%' -> end = parseAggregate(pos, MAP, 2);
            default -> throw new IllegalArgumentException("bad reply type '" + (char) t + "'");
        }
        return end;
    }

    private int parseAggregate(int pos, int kind, int perEntry) {
        int lineEnd = lineEnd(pos);
        long n = number(pos + 1, lineEnd);
        if (n < 0) {
            type = NULL;
            return lineEnd + 2;
        }
        if (kind == ATTRIBUTE) {
            start = pos;
        }
        type = kind;
        elements = new CallReply[(int) (n * perEntry)];
        int p = lineEnd + 2;
        for (int i = 0; i < elements.length; i++) {
            CallReply e = new CallReply(root, proto);
            p = e.parseAt(p);
            elements[i] = e;
        }
        end = p;
        return p;
    }

    private static double parseDouble(String s) {
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            case "nan" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    /** The decimal integer proto[from, to) (a server reply: well-formed), without a String. */
    private long number(int from, int to) {
        if (to - from > 18) {
            return Long.parseLong(text(from, to)); // near the limits: let the JDK check overflow
        }
        boolean neg = proto[from] == '-';
        long v = 0;
        for (int i = neg ? from + 1 : from; i < to; i++) {
            int d = proto[i] - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException(text(from, to));
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    private int lineEnd(int pos) {
        int i = pos;
        while (proto[i] != '\r') {
            i++;
        }
        return i;
    }

    private String text(int from, int to) {
        return new String(proto, from, to - from, StandardCharsets.US_ASCII);
    }

    // --- accessors ----------------------------------------------------------------------

    public CallReply root() {
        return root;
    }

    public boolean isRoot() {
        return root == this;
    }

    public int type() {
        return type;
    }

    public byte[] proto() {
        return proto;
    }

    /** Start of this node's protocol text (including a leading attribute). */
    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public long integer() {
        return type == INTEGER ? integer : Long.MIN_VALUE;
    }

    public double doubleValue() {
        return type == DOUBLE ? dbl : 0.0;
    }

    public boolean bool() {
        return type == BOOL && integer != 0;
    }

    public int stringOffset() {
        return strOff;
    }

    public int stringLength() {
        return strLen;
    }

    public byte[] stringBytes() {
        byte[] b = new byte[strLen];
        System.arraycopy(proto, strOff, b, 0, strLen);
        return b;
    }

    public String format() {
        return format;
    }

    /** Array/set elements, map keys and values interleaved, or attribute pairs interleaved. */
    public int elementCount() {
        return elements == null ? 0 : elements.length;
    }

    public CallReply element(int i) {
        return elements[i];
    }

    /** Length as CallReplyLength reports it: string length, element or pair count. */
    public long length() {
        return switch (type) {
            case STRING, ERROR, BIG_NUMBER, VERBATIM -> strLen;
            case ARRAY, SET -> elements.length;
            case MAP, ATTRIBUTE -> elements.length / 2;
            default -> 0;
        };
    }

    public CallReply attribute() {
        return attribute;
    }

    public boolean containsResp3() {
        return root.resp3;
    }

    public List<String> errors() {
        return root.errors;
    }

    /** True when this node has no elements and no attribute (a leaf). */
    public boolean leaf() {
        return elements == null && attribute == null;
    }

    /** Every node of the tree (for freeing handles). */
    public void forEach(java.util.function.Consumer<CallReply> f) {
        f.accept(this);
        if (attribute != null) {
            attribute.forEach(f);
        }
        if (elements != null) {
            for (CallReply e : elements) {
                e.forEach(f);
            }
        }
    }

    /** The error message of an ERROR reply (without '-'), else null. */
    public String errorMessage() {
        return type == ERROR ? new String(proto, strOff, strLen, StandardCharsets.UTF_8) : null;
    }

    static List<String> newErrorList() {
        return new ArrayList<>();
    }
}
