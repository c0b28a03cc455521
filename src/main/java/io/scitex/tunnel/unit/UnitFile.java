package io.scitex.tunnel.unit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A unit file read the way systemd reads it: sections, {@code key=value} lines, comments and line
 * continuations, and exec lines split into arguments with systemd's quoting, C escapes and {@code %%} /
 * {@code $$} rules. It serves {@code status} (to learn what a unit connects to, for units written by any
 * version of the tool) and the tests (to prove that rendered values read back unchanged).
 */
public final class UnitFile {
    /** systemd ends a line at LF, CR or NUL, a run of different ones counting once ({@code read_line}). */
    private static final Pattern LINE_END = Pattern.compile("\r\n?\0?|\n\r?\0?|\0");
    /** What systemd strips from lines, keys and values ({@code WHITESPACE}); Unicode spaces are content. */
    private static final String WHITESPACE = " \t\n\r";

    private final Map<String, List<Map.Entry<String, String>>> sections;

    private UnitFile(Map<String, List<Map.Entry<String, String>>> sections) {
        this.sections = sections;
    }

    public static UnitFile parse(String text) {
        Map<String, List<Map.Entry<String, String>>> sections = new LinkedHashMap<>();
        String section = "";
        StringBuilder pending = null;
        for (String raw : LINE_END.split(text, -1)) {
            String line = strip(raw);
            if (pending == null && (line.isEmpty() || line.startsWith("#") || line.startsWith(";"))) {
                continue;
            }
            if (pending != null) {
                if (line.startsWith("#") || line.startsWith(";")) {
                    continue; // comments inside a continued line are skipped, as systemd does
                }
                pending.append(' ');
                line = pending.append(line).toString();
                pending = null;
            }
            if (endsWithUnescapedBackslash(line)) {
                pending = new StringBuilder(line.substring(0, line.length() - 1));
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                sections.computeIfAbsent(section, s -> new ArrayList<>());
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                sections.computeIfAbsent(section, s -> new ArrayList<>())
                        .add(Map.entry(strip(line.substring(0, eq)), strip(line.substring(eq + 1))));
            }
        }
        return new UnitFile(sections);
    }

    private static String strip(String text) {
        int begin = 0;
        int end = text.length();
        while (begin < end && WHITESPACE.indexOf(text.charAt(begin)) >= 0) {
            begin++;
        }
        while (end > begin && WHITESPACE.indexOf(text.charAt(end - 1)) >= 0) {
            end--;
        }
        return text.substring(begin, end);
    }

    private static boolean endsWithUnescapedBackslash(String line) {
        int count = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            count++;
        }
        return count % 2 == 1;
    }

    /** All values of {@code key} in {@code section}, in file order. */
    public List<String> values(String section, String key) {
        return sections.getOrDefault(section, List.of()).stream()
                .filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).toList();
    }

    /** The effective (last) value of {@code key}; an empty assignment resets it, as in systemd. */
    public Optional<String> value(String section, String key) {
        List<String> values = values(section, key);
        return values.isEmpty() || values.get(values.size() - 1).isEmpty()
                ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    /** The argv of the service's {@code ExecStart=}, without systemd's prefix characters. */
    public Optional<List<String>> execStart() {
        return value("Service", "ExecStart").map(UnitFile::splitExec);
    }

    /**
     * Splits an exec line into arguments as systemd does: whitespace separates words, single and double
     * quotes group them, backslash escapes are C escapes, then {@code %%} and {@code $$} become single
     * characters. Other specifiers and variables are left as written.
     */
    public static List<String> splitExec(String line) {
        String rest = strip(line);
        while (!rest.isEmpty() && "-@:+!".indexOf(rest.charAt(0)) >= 0) {
            rest = rest.substring(1);
        }
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = rest.length();
        while (true) {
            while (i < n && isWhitespace(rest.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return words;
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            while (i < n) {
                char c = rest.charAt(i);
                if (quote == 0 && isWhitespace(c)) {
                    break;
                }
                if (c == '\\' && i + 1 < n) {
                    i = unescape(rest, i + 1, word);
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                    i++;
                } else if (c == quote) {
                    quote = 0;
                    i++;
                } else {
                    word.append(c);
                    i++;
                }
            }
            words.add(expandDoubled(word.toString()));
        }
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /** Decodes the C escape starting after a backslash at {@code i}; returns the index after it. */
    private static int unescape(String s, int i, StringBuilder out) {
        char c = s.charAt(i);
        switch (c) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 's' -> out.append(' ');
            case 'x' -> {
                return hex(s, i + 1, 2, out);
            }
            case 'u' -> {
                return hex(s, i + 1, 4, out);
            }
            case 'U' -> {
                return hex(s, i + 1, 8, out);
            }
            default -> {
                if (c >= '0' && c <= '7' && i + 2 < s.length()) {
                    out.append((char) Integer.parseInt(s.substring(i, i + 3), 8));
                    return i + 3;
                }
                out.append(c); // \\ \" \' and, relaxed, anything else
            }
        }
        return i + 1;
    }

    private static int hex(String s, int from, int digits, StringBuilder out) {
        int end = Math.min(s.length(), from + digits);
        out.appendCodePoint(Integer.parseInt(s.substring(from, end), 16));
        return end;
    }

    private static String expandDoubled(String word) {
        StringBuilder out = new StringBuilder(word.length());
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            out.append(c);
            if ((c == '%' || c == '$') && i + 1 < word.length() && word.charAt(i + 1) == c) {
                i++;
            }
        }
        return out.toString();
    }
}
