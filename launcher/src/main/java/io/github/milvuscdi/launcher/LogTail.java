package io.github.milvuscdi.launcher;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a log file so that error messages can show what a process said before it failed. */
final class LogTail {

    /** How many lines error messages quote. */
    static final int LINES = 20;

    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    /**
     * Returns the last {@code lines} lines of {@code file}, each indented, for quoting in a message.
     *
     * @return the lines, or a note saying why there are none; never {@code null}
     */
    static String of(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "    (no log file at " + file + ")";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            List<String> all = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R")));
            all.removeIf(String::isBlank);
            if (all.isEmpty()) {
                return "    (the log " + file + " is empty)";
            }
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "    " + String.join(System.lineSeparator() + "    ", last);
        } catch (IOException e) {
            return "    (cannot read " + file + ": " + e.getMessage() + ")";
        }
    }
}
