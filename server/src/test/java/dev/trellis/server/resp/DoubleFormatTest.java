package dev.trellis.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DoubleFormat against the output of C's printf for the same doubles. */
class DoubleFormatTest {
    @ParameterizedTest
    @CsvSource({
        "1.1, 1.1000000000000001",
        "1e300, 1.0000000000000001e+300",
        "0.1, 0.10000000000000001",
        "1e-5, 1.0000000000000001e-05",
        "123456789012345678, 1.2345678901234568e+17",
        "3e-300, 3.0000000000000002e-300",
        "1e16, 10000000000000000",
        "1e17, 1e+17",
        "12345.678, 12345.678",
        "-2.5, -2.5",
        "0.30000000000000004, 0.30000000000000004",
        "4.9E-324, 4.9406564584124654e-324",
        "1.7976931348623157e308, 1.7976931348623157e+308",
        "-1e-7, -9.9999999999999995e-08",
        "1e20, 1e+20",
        "0.5, 0.5",
        "123.456, 123.456",
        "-0.0001, -0.0001",
        "2.5e-5, 2.5000000000000001e-05",
        "-0.0, -0",
        "0, 0",
    })
    void g17MatchesPrintf(double d, String expected) {
        assertThat(DoubleFormat.g17(d)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"Infinity, inf", "-Infinity, -inf", "1.5, 1.5", "-0.0, -0"})
    void replyForm(double d, String expected) {
        assertThat(DoubleFormat.resp(d)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "1.1, 4, 1.1000",
        "12345.678, 17, 12345.67799999999988358",
        "0.1, 17, 0.10000000000000001",
        "-1e-7, 4, -0.0000",
        "2.5, 0, 2",
        "3.5, 0, 4",
        "0.00005, 4, 0.0001",
    })
    void fixedMatchesPrintf(double d, int decimals, String expected) {
        assertThat(DoubleFormat.fixed(d, decimals)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1.0, 1", "4611686018427387904, 4611686018427387904", "4.611686018427388E18, 4611686018427387904",
        "9.223372036854775807E18, 9.2233720368547758e+18", "0.25, 0.25", "-0.0, -0"})
    void d2stringStoresIntegersAsIntegers(double d, String expected) {
        assertThat(DoubleFormat.d2string(d)).isEqualTo(expected);
    }
}
