package io.scitex.tunnel.cli;

import io.scitex.tunnel.model.InvalidInputException;
import java.time.Duration;

/**
 * {@code --timeout SECONDS} of status and doctor: how long one end-to-end probe may take, in seconds with
 * decimals ({@code 1.5}), from 0.1 to 60.
 */
final class ProbeTimeoutConverter extends ModelConverter<Duration> {
    @Override
    Duration parse(String value) {
        double seconds;
        try {
            seconds = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds >= 0.1 && seconds <= 60)) { // NaN too
            throw new InvalidInputException("--timeout must be a number of seconds from 0.1 to 60, not '" + value + "'");
        }
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
