package dev.trellis.server.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** x87 long double emulation; expected strings are what Redis 7 on x86-64 prints for INCRBYFLOAT. */
class LongDoubleTest {
    private static LongDouble parse(String s) {
        return LongDouble.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    private static String sum(String... terms) {
        LongDouble v = LongDouble.of(0);
        for (String t : terms) {
            v = v.add(parse(t));
        }
        return v.toHumanString();
    }

    @Test
    void decimalFractionsAddWithExtendedPrecision() {
        assertThat(sum("0.1", "0.2")).isEqualTo("0.3");
        assertThat(sum("3.0000000000000000001")).isEqualTo("3");
        assertThat(sum("1.00000000000000005")).isEqualTo("1.00000000000000005");
        assertThat(sum("1.000000000000000025")).isEqualTo("1.00000000000000003");
        assertThat(sum("0.000000000000000015")).isEqualTo("0.00000000000000002");
        assertThat(sum("-1.5", "1.5")).isEqualTo("0");
        assertThat(sum("9223372036854775807")).isEqualTo("9223372036854775807");
        assertThat(sum("9223372036854775807", "1")).isEqualTo("9223372036854775808");
        assertThat(sum("10.5", "0.1")).isEqualTo("10.6");
    }

    @Test
    void largeValuesPrintEveryIntegerDigit() {
        assertThat(sum("1e300")).isEqualTo("1000000000000000000008997324079559193870523944273290747938260082321265646"
                + "596180935755849152083750497190350372508614274835903592556184672983913096260520748646287327135641843"
                + "653294084255107606016789726652932370030551382947620994540294772781889620606179267611627097410650567"
                + "187386105690089424915104006144");
        assertThat(sum("1e4932")).startsWith("10000000000000000000060189493879638913238").hasSize(4933);
    }

    @Test
    void hexadecimalAndSpecialSpellings() {
        assertThat(sum("0x10")).isEqualTo("16");
        assertThat(sum("0x1.8p1")).isEqualTo("3");
        assertThat(sum(".5", "5.", "+1", "-.25e1")).isEqualTo("4");
        assertThat(sum("0x1p-16445")).isEqualTo("0");
        assertThat(parse("inf").isInfinite()).isTrue();
        assertThat(parse("-Infinity").isInfinite()).isTrue();
        assertThat(parse("1e4932").add(parse("1e4932")).isInfinite()).isTrue();
    }

    @Test
    void rejectsWhatStrtoldWouldNotFullyParse() {
        for (String bad : new String[] {"", " 1", "1 ", "abc", "1e", "1e+", "e5", ".", "-", "nan", "NaN", "0x",
            "0xg", "1.5f", "1,5", "1.2e4932", "1e5000", "1e-4951", "1e-5000", "--1"}) {
            assertThat(parse(bad)).as(bad).isNull();
        }
        assertThat(parse("0e99999")).isNotNull();
        assertThat(parse("1e-4950")).isNotNull();
    }

    @Test
    void negativeZeroPrintsAsZero() {
        assertThat(sum("-0")).isEqualTo("0");
        assertThat(parse("-0").add(parse("-0")).toHumanString()).isEqualTo("0");
        assertThat(sum("-0.0000000000000000001")).isEqualTo("0");
    }
}
