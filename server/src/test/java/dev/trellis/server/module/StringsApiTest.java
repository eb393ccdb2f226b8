package dev.trellis.server.module;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RedisModuleString functions through native/modules/tmstrings.c. */
class StringsApiTest extends ModuleApiTestBase {
    @BeforeAll
    static void load() {
        start("tmstrings");
    }

    @AfterAll
    static void unload() {
        stop();
    }

    @Test
    void constructors() {
        assertThat(call("TMS.CREATE")).isEqualTo("*[$abc\u0000def, $-123, $18446744073709551615, $3.5, $0.10000000000000001, $1e+20, $-0, "
                + "$3.25, $0.33333333333333333, $10, $abc\u0000def, $5-7, $x-42-1.50]");
    }

    @Test
    void parsing() {
        assertThat(call("TMS.PARSE", "123")).isEqualTo("*[*[:1, :123], *[:1, $123], *[:1, $123], *[:1, $123], *[:1, $123, $0]]");
        assertThat(call("TMS.PARSE", "-5")).isEqualTo("*[*[:1, :-5], *[:0, $0], *[:1, $-5], *[:1, $-5], *[:0, $0, $0]]");
        assertThat(call("TMS.PARSE", "1.5")).isEqualTo("*[*[:0, :0], *[:0, $1], *[:1, $1.5], *[:1, $1.5], *[:0, $0, $0]]");
        assertThat(call("TMS.PARSE", "18446744073709551615")).isEqualTo("*[*[:0, :0], *[:1, $18446744073709551615], "
                + "*[:1, $1.8446744073709552e+19], *[:1, $18446744073709551615], *[:1, $18446744073709551615, $0]]");
        assertThat(call("TMS.PARSE", "1-2")).isEqualTo("*[*[:0, :0], *[:0, $1], *[:0, $0], *[:0, $0], *[:1, $1, $2]]");
        assertThat(call("TMS.PARSE", "inf")).isEqualTo("*[*[:0, :0], *[:0, $0], *[:1, $inf], *[:1, $inf], *[:0, $0, $0]]");
        assertThat(call("TMS.PARSE", "nan")).isEqualTo("*[*[:0, :0], *[:0, $0], *[:0, $0], *[:0, $0], *[:0, $0, $0]]");
        assertThat(call("TMS.PARSE", "+")).isEqualTo("*[*[:0, :0], *[:0, $0], *[:0, $0], *[:0, $0], "
                + "*[:1, $18446744073709551615, $18446744073709551615]]");
        // strtoull's leniency that Redis inherits: leading blanks.
        assertThat(call("TMS.PARSE", " 7")).isEqualTo("*[*[:0, :0], *[:1, $7], *[:0, $0], *[:0, $0], *[:1, $7, $0]]");
    }

    @Test
    void appendAndTrim() {
        assertThat(call("TMS.APPEND", "ab", "cd", "x".repeat(100)))
                .isEqualTo("*[$abcd" + "x".repeat(100) + ", :1, :1]");
    }

    @Test
    void compare() {
        assertThat(call("TMS.COMPARE", "a", "b")).isEqualTo(":-1");
        assertThat(call("TMS.COMPARE", "b", "a")).isEqualTo(":1");
        assertThat(call("TMS.COMPARE", "ab", "a")).isEqualTo(":1");
        assertThat(call("TMS.COMPARE", "same", "same")).isEqualTo(":0");
        assertThat(call("TMS.COMPARE", "\u00ff", "a")).isEqualTo(":1"); // bytes compare unsigned
    }

    @Test
    void retainedAndHeldStringsOutliveTheCommand() {
        assertThat(call("TMS.KEEP", "argument")).isEqualTo("+OK");
        assertThat(call("TMS.KEPT")).isEqualTo("*[$argument, $held]");
        assertThat(call("TMS.KEPT")).isEqualTo("$(nil)");
    }

    @Test
    void pointersStayValid() {
        assertThat(call("TMS.PTR")).isEqualTo("*[:1, $(NULL string reply referenced in module)]");
    }
}
