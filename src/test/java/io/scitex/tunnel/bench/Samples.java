package io.scitex.tunnel.bench;

import java.util.Arrays;
import java.util.List;

/** Repeated measurements of one quantity, in the order they were taken; reported by their median. */
record Samples(List<Double> values) {
    Samples {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        values = List.copyOf(values);
    }

    static Samples of(double... values) {
        return new Samples(Arrays.stream(values).boxed().toList());
    }

    double median() {
        return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    /** The {@code q}-th percentile (0-100) of {@code values}, interpolated between the nearest ranks. */
    static double percentile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double rank = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(rank);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
