package io.scitex.tunnel.bench;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One line of the results: a quantity measured for some {@link Subject}s, the ratio of the native engine to
 * OpenSSH (medians), and the goal it is held to, if any, with whether the medians meet it.
 */
record Measure(String group, String name, String unit, Map<Subject, Samples> samples, Optional<Goal> goal) {
    Measure {
        samples = Map.copyOf(samples);
    }

    static Builder named(String group, String name, String unit) {
        return new Builder(group, name, unit);
    }

    Optional<Double> median(Subject subject) {
        return Optional.ofNullable(samples.get(subject)).map(Samples::median);
    }

    /** The native engine's median over OpenSSH's, when both were measured. */
    Optional<Double> ratio() {
        return median(Subject.NATIVE).flatMap(n -> median(Subject.OPENSSH).filter(o -> o != 0).map(o -> n / o));
    }

    Optional<Boolean> met() {
        return goal.map(g -> g.metBy(this));
    }

    /** What a measure is held to, in words and as a check of its medians. */
    record Goal(String text, Predicate<Measure> check) {
        boolean metBy(Measure measure) {
            return check.test(measure);
        }

        /** The native engine's median at least {@code times} OpenSSH's. */
        static Goal atLeastTimesOpenSsh(double times) {
            return new Goal("≥ " + times + "× OpenSSH", m -> m.ratio().map(r -> r >= times).orElse(false));
        }

        /** The native engine's median at most {@code bound}, and never worse than OpenSSH's. */
        static Goal atMostAndNoWorseThanOpenSsh(double bound, String unit) {
            return new Goal("≤ " + format(bound) + " " + unit + ", and ≤ OpenSSH", m -> m.median(Subject.NATIVE)
                    .map(n -> n <= bound && m.median(Subject.OPENSSH).map(o -> n <= o).orElse(true)).orElse(false));
        }

        /** The native engine's median at most {@code bound}. */
        static Goal atMost(double bound, String unit) {
            return new Goal("≤ " + format(bound) + " " + unit, m -> m.median(Subject.NATIVE).map(n -> n <= bound).orElse(false));
        }

        private static String format(double value) {
            return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
        }
    }

    static final class Builder {
        private final String group;
        private final String name;
        private final String unit;
        private final Map<Subject, Samples> samples = new EnumMap<>(Subject.class);
        private Goal goal;

        private Builder(String group, String name, String unit) {
            this.group = group;
            this.name = name;
            this.unit = unit;
        }

        Builder add(Subject subject, Samples values) {
            samples.put(subject, values);
            return this;
        }

        Builder goal(Goal goal) {
            this.goal = goal;
            return this;
        }

        Measure build() {
            return new Measure(group, name, unit, samples, Optional.ofNullable(goal));
        }
    }
}
