package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.InvalidInputException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * An option value parsed by the model's own parser while picocli reads the command line. The model's
 * {@link InvalidInputException} becomes picocli's conversion error with the same message, so a bad value is a
 * usage error in the model's words, as if the command had rejected it itself.
 */
abstract class ModelConverter<T> implements ITypeConverter<T> {
    @Override
    public final T convert(String value) {
        try {
            return parse(value);
        } catch (InvalidInputException invalid) {
            throw new InvalidValue(invalid);
        }
    }

    /** The value, or an {@link InvalidInputException} that says what is wrong with it. */
    abstract T parse(String value);

    /** picocli's conversion error for a value the model rejected; the model's exception is its cause. */
    static final class InvalidValue extends TypeConversionException {
        InvalidValue(InvalidInputException invalid) {
            super(invalid.getMessage());
            initCause(invalid);
        }
    }
}
