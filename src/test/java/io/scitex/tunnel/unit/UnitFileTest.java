package io.scitex.tunnel.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnitFileTest {
    @Test
    void readsKeysBySection() {
        UnitFile unit = UnitFile.parse("[Unit]\nDescription=x\n[Service]\nUser=alice\n");

        assertThat(unit.value("Unit", "Description")).contains("x");
        assertThat(unit.value("Service", "User")).contains("alice");
        assertThat(unit.value("Unit", "User")).isEmpty();
    }

    @Test
    void skipsCommentsAndBlankLines() {
        UnitFile unit = UnitFile.parse("# User=hash\n; User=semicolon\n\n[Service]\n  # User=indented\nUser=real\n");

        assertThat(unit.values("Service", "User")).containsExactly("real");
        assertThat(unit.values("", "User")).isEmpty();
    }

    @Test
    void stripsWhitespaceAroundKeyAndValue() {
        assertThat(UnitFile.parse("[Service]\n  User =  alice \t\n").value("Service", "User")).contains("alice");
    }

    @Test
    void joinsContinuationLinesWithASpace() {
        UnitFile unit = UnitFile.parse("[Service]\nExecStart=/bin/echo a \\\n  b\\\nc\nUser=x\n");

        assertThat(unit.value("Service", "ExecStart")).contains("/bin/echo a  b c");
        assertThat(unit.value("Service", "User")).contains("x");
    }

    @Test
    void skipsCommentLinesInsideAContinuation() {
        UnitFile unit = UnitFile.parse("[Service]\nExecStart=/bin/echo a \\\n# comment\n; other\n b\n");

        assertThat(unit.value("Service", "ExecStart")).contains("/bin/echo a  b");
    }

    @Test
    void escapedBackslashAtLineEndIsNotAContinuation() {
        UnitFile unit = UnitFile.parse("[Service]\nExecStart=/bin/echo a\\\\\nUser=x\n");

        assertThat(unit.value("Service", "ExecStart")).contains("/bin/echo a\\\\");
        assertThat(unit.value("Service", "User")).contains("x");
    }

    @Test
    void readsCrLfLineEndings() {
        UnitFile unit = UnitFile.parse("[Service]\r\nUser=alice\r\nType=simple\r\n");

        assertThat(unit.value("Service", "User")).contains("alice");
        assertThat(unit.value("Service", "Type")).contains("simple");
    }

    @Test
    void endsLinesAtLoneCarriageReturnAsSystemdDoes() {
        UnitFile unit = UnitFile.parse("[Service]\rExecStart=/bin/a\rExecStart=/bin/b\n\rUser=x\n");

        assertThat(unit.values("Service", "ExecStart")).containsExactly("/bin/a", "/bin/b");
        assertThat(unit.value("Service", "User")).contains("x");
    }

    @Test
    void stripsOnlyAsciiWhitespaceAsSystemdDoes() {
        UnitFile unit = UnitFile.parse("[Service]\nExecStart=\t/bin/a\u3000 \nUser=\u000bx\u2028\n");

        assertThat(unit.execStart()).contains(List.of("/bin/a\u3000"));
        assertThat(unit.value("Service", "User")).contains("\u000bx\u2028");
    }

    @Test
    void ignoresLinesWithoutAssignment() {
        assertThat(UnitFile.parse("[Service]\nnonsense\n=value\nUser=a\n").values("Service", "User"))
                .containsExactly("a");
    }

    @Test
    void keepsEqualsSignsInValue() {
        assertThat(UnitFile.parse("[Service]\nEnvironment=A=B=C\n").value("Service", "Environment"))
                .contains("A=B=C");
    }

    @Test
    void valuesListsEveryAssignmentInFileOrder() {
        UnitFile unit = UnitFile.parse("[Service]\nEnvironment=A=1\nUser=x\nEnvironment=B=2\n[Service]\nEnvironment=C=3\n");

        assertThat(unit.values("Service", "Environment")).containsExactly("A=1", "B=2", "C=3");
    }

    @Test
    void valueIsTheLastAssignment() {
        assertThat(UnitFile.parse("[Service]\nUser=a\nUser=b\n").value("Service", "User")).contains("b");
    }

    @Test
    void emptyAssignmentResetsTheValue() {
        UnitFile unit = UnitFile.parse("[Service]\nExecStart=/bin/a\nExecStart=\n");

        assertThat(unit.value("Service", "ExecStart")).isEmpty();
        assertThat(unit.execStart()).isEmpty();
        assertThat(unit.values("Service", "ExecStart")).containsExactly("/bin/a", "");
    }

    @Test
    void assignmentAfterResetCountsAgain() {
        assertThat(UnitFile.parse("[Service]\nUser=a\nUser=\nUser=c\n").value("Service", "User")).contains("c");
    }

    @Test
    void unknownSectionHasNoValues() {
        assertThat(UnitFile.parse("[Unit]\nA=b\n").values("Install", "A")).isEmpty();
    }

    @Test
    void execStartSplitsTheServiceCommandLine() {
        UnitFile unit = UnitFile.parse("[Service]\nExecStart=/usr/bin/autossh -M 0 \"a b\"\n");

        assertThat(unit.execStart()).contains(List.of("/usr/bin/autossh", "-M", "0", "a b"));
    }

    @Test
    void execStartIgnoresOtherSections() {
        assertThat(UnitFile.parse("[Unit]\nExecStart=/bin/x\n").execStart()).isEmpty();
    }

    @Test
    void splitsOnSpacesAndTabs() {
        assertThat(UnitFile.splitExec("  /bin/a \t b   c  ")).containsExactly("/bin/a", "b", "c");
    }

    @Test
    void doubleQuotesGroupWords() {
        assertThat(UnitFile.splitExec("/bin/a \"b c\" d")).containsExactly("/bin/a", "b c", "d");
    }

    @Test
    void singleQuotesGroupWords() {
        assertThat(UnitFile.splitExec("/bin/a 'b \"c\"' d")).containsExactly("/bin/a", "b \"c\"", "d");
    }

    @Test
    void quotedAndUnquotedPartsJoinIntoOneWord() {
        assertThat(UnitFile.splitExec("/bin/a x\"y z\"'w'")).containsExactly("/bin/a", "xy zw");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
        assertThat(UnitFile.splitExec("/bin/a \"\" ''")).containsExactly("/bin/a", "", "");
    }

    @Test
    void decodesHexEscape() {
        assertThat(UnitFile.splitExec("/bin/a \"\\x41\\x42\" \\x43")).containsExactly("/bin/a", "AB", "C");
    }

    @Test
    void decodesNewlineAndOtherCEscapes() {
        assertThat(UnitFile.splitExec("/bin/a \"x\\ny\\tz\\rw\\sv\""))
                .containsExactly("/bin/a", "x\ny\tz\rw v");
    }

    @Test
    void decodesEscapedBackslashAndQuotes() {
        assertThat(UnitFile.splitExec("/bin/a \"\\\\\" \"\\\"\" '\\''")).containsExactly("/bin/a", "\\", "\"", "'");
    }

    @Test
    void decodesOctalAndUnicodeEscapes() {
        assertThat(UnitFile.splitExec("/bin/a \\101 \"\\u00e9\" \"\\U0001F600\""))
                .containsExactly("/bin/a", "A", "é", "😀");
    }

    @Test
    void escapedSpaceDoesNotSplit() {
        assertThat(UnitFile.splitExec("/bin/a b\\ c")).containsExactly("/bin/a", "b c");
    }

    @Test
    void undoublesPercentAndDollar() {
        assertThat(UnitFile.splitExec("/bin/a 100%% $$HOME \"%%h $${X}\"")).containsExactly("/bin/a", "100%", "$HOME",
                "%h ${X}");
    }

    @Test
    void leavesSingleSpecifiersAndVariablesAsWritten() {
        assertThat(UnitFile.splitExec("/bin/a %n $HOME ${X}")).containsExactly("/bin/a", "%n", "$HOME", "${X}");
    }

    @Test
    void dropsExecPrefixCharacters() {
        assertThat(UnitFile.splitExec("-@/bin/a x")).containsExactly("/bin/a", "x");
        assertThat(UnitFile.splitExec("+!:/bin/a")).containsExactly("/bin/a");
    }

    @Test
    void emptyLineHasNoWords() {
        assertThat(UnitFile.splitExec("   ")).isEmpty();
    }

    @Test
    void splitsOnlyOnAsciiWhitespace() {
        assertThat(UnitFile.splitExec("\u3000/bin/a\u00a0b")).containsExactly("\u3000/bin/a\u00a0b");
    }
}
