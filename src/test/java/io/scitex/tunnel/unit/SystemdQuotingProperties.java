package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import io.scitex.tunnel.testing.Hostile;
import java.util.List;
import java.util.stream.Stream;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

// Generated cases per run: 8000 (4 properties: 2000 + 2000 + 2000 + 2000 tries).
class SystemdQuotingProperties {
    @Property(tries = 2000)
    void anyArgumentReadsBackAsExactlyOneArgument(@ForAll("hostile") String value) {
        List<String> argv = UnitFile.splitExec("/usr/bin/autossh " + SystemdQuoting.execArgument(value));

        assertThat(argv).containsExactly("/usr/bin/autossh", value);
    }

    @Property(tries = 2000)
    void severalArgumentsKeepTheirBoundaries(@ForAll("hostileLists") List<String> values) {
        String line = String.join(" ", values.stream().map(SystemdQuoting::execArgument).toList());

        assertThat(UnitFile.splitExec("/bin/x " + line)).containsExactlyElementsOf(
                Stream.concat(Stream.of("/bin/x"), values.stream()).toList());
    }

    @Property(tries = 2000)
    void quotedArgumentIsOnePrintableLineWithoutLoneSpecifiers(@ForAll("hostile") String value) {
        String quoted = SystemdQuoting.execArgument(value);

        assertThat(quoted).matches(q -> q.codePoints().noneMatch(cp -> cp < 0x20 || cp == 0x7f), "no control chars");
        assertThat(quoted.replace("%%", "")).doesNotContain("%");
        assertThat(quoted.replace("$$", "")).doesNotContain("$");
    }

    @Property(tries = 2000)
    void textIsOneAssignmentThatReadsBackAsWritten(@ForAll("hostile") String value) {
        String text = SystemdQuoting.text(value);
        UnitFile unit = UnitFile.parse("[Unit]\nDescription=" + text + "\nAfter=network-online.target\n");

        assertThat(text).matches(t -> t.codePoints().noneMatch(cp -> cp < 0x20 || cp == 0x7f), "no control chars")
                .doesNotEndWith("\\");
        assertThat(text.replace("%%", "")).doesNotContain("%");
        assertThat(unit.values("Unit", "Description")).containsExactly(text);
        assertThat(unit.values("Unit", "After")).containsExactly("network-online.target");
    }

    @Provide
    Arbitrary<String> hostile() {
        return Hostile.textWithoutNul();
    }

    @Provide
    Arbitrary<List<String>> hostileLists() {
        return Hostile.textWithoutNul().list().ofMinSize(1).ofMaxSize(6);
    }
}
