package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scitex.tunnel.model.InvalidInputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ModelConverterTest {
    /** Accepts "yes" only, as a model parser would. */
    private static final class YesConverter extends ModelConverter<Boolean> {
        @Override
        Boolean parse(String value) {
            if (!value.equals("yes")) {
                throw new InvalidInputException("answer must be yes, not '" + value + "'");
            }
            return true;
        }
    }

    @Test
    void passesTheParsedValueOn() {
        assertThat(new YesConverter().convert("yes")).isTrue();
    }

    @Test
    void turnsTheModelsRejectionIntoAConversionErrorWithTheSameMessage() {
        assertThatThrownBy(() -> new YesConverter().convert("no"))
                .isInstanceOf(TypeConversionException.class).isInstanceOf(ModelConverter.InvalidValue.class)
                .hasMessage("answer must be yes, not 'no'")
                .hasCauseInstanceOf(InvalidInputException.class);
    }

    @Test
    void letsOtherFailuresThrough() {
        ModelConverter<String> broken = new ModelConverter<>() {
            @Override
            String parse(String value) {
                throw new IllegalStateException("a bug");
            }
        };

        assertThatThrownBy(() -> broken.convert("x")).isExactlyInstanceOf(IllegalStateException.class);
    }
}
