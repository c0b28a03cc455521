package io.scitex.tunnel.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {
    private static String print(Table table) {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        table.print(writer);
        writer.flush();
        return out.toString();
    }

    @Test
    void alignsColumnsToTheWidestCellWithTwoSpaces() {
        Table table = new Table("PORT", "BASTION", "STATE");
        table.add("2222", "user@bastion.example.com", "active (running)");
        table.add("22", "b", "failed (failed)");

        assertThat(print(table).lines()).containsExactly(
                "PORT  BASTION                   STATE",
                "2222  user@bastion.example.com  active (running)",
                "22    b                         failed (failed)");
    }

    @Test
    void printsNoTrailingSpaces() {
        Table table = new Table("A", "B");
        table.add("x", "");

        assertThat(print(table).lines()).containsExactly("A  B", "x");
    }
}
