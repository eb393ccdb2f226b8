package dev.trellis.server.types.zset;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Strtod follows C's strtod and Redis's two sets of rules on top of it. */
class StrtodTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|1.0", "-1|-1.0", "1.5|1.5", "+2|2.0", ".5|0.5", "5.|5.0", "1e3|1000.0", "1E-2|0.01", "inf|Infinity",
        "-inf|-Infinity", "+Infinity|Infinity", "INF|Infinity", "0x10|16.0", "0x1p4|16.0", "-0x.8|-0.5",
        "0X1.8P1|3.0", "1e308|1.0E308", "123456789012345678|1.23456789012345677E17"})
    void strictAcceptsNumbers(String in, double expected) {
        assertThat(Strtod.parseStrict(b(in))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"abc", "1a", "' 1'", "'1 '", "nan", "NaN", "1e400", "-1e400", "1e-400",
        "1e", "--1", "0x", "'1\t'", "1d", "1f", "inf1", "."})
    void strictRejects(String in) {
        assertThat(Strtod.parseStrict(b(in))).isNaN();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"''|0.0", "' 5'|5.0", "1e400|Infinity", "-1e400|-Infinity", "1e-400|0.0"})
    void rangeBoundsAreLenient(String in, double expected) {
        assertThat(Strtod.parseRangeBound(b(in), 0)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"'5 '", "x", "nan", "1x"})
    void rangeBoundsRejectTrailingGarbageAndNan(String in) {
        assertThat(Strtod.parseRangeBound(b(in), 0)).isNaN();
    }

    @org.junit.jupiter.api.Test
    void rangeBoundStopsAtNul() {
        assertThat(Strtod.parseRangeBound(new byte[] {'7', 0, 'x'}, 0)).isEqualTo(7.0);
    }

    @org.junit.jupiter.api.Test
    void negativeZeroKeepsItsSign() {
        assertThat(Double.doubleToRawLongBits(Strtod.parseStrict(b("-0")))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Double.doubleToRawLongBits(Strtod.parseStrict(b("-0.0")))).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }
}
