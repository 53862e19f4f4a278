package io.github.milvuscdi.internal.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * A user file and a password file read as one pair, over a fake of the file reads that swaps the pair (as
 * Kubernetes swaps its {@code ..data} link) between two chosen reads: the pair returned is always one the files
 * held together, never the former user with the new password.
 */
class UserPasswordFilesTest {

    private static final Path USER = Path.of("/var/run/secrets/milvus/username");
    private static final Path PASSWORD = Path.of("/var/run/secrets/milvus/password");

    /** Two versions of a mounted basic-auth secret; which one a read sees depends on its number (0 for the first). */
    private static final class SwappingMount implements UserPasswordFiles.FileContent {
        private final Map<Path, String> first = Map.of(USER, "first", PASSWORD, "pw-first");
        private final Map<Path, String> second = Map.of(USER, "second", PASSWORD, "pw-second");
        private final IntPredicate secondShows;
        final AtomicInteger reads = new AtomicInteger();

        SwappingMount(IntPredicate secondShows) {
            this.secondShows = secondShows;
        }

        /** The second version from read {@code swap} on, as a {@code ..data} swap shows it. */
        static SwappingMount swappedAt(int swap) {
            return new SwappingMount(read -> read >= swap);
        }

        @Override
        public String read(Path file) {
            return (secondShows.test(reads.getAndIncrement()) ? second : first).get(file);
        }
    }

    @Test
    void aSwapBetweenTheUserAndThePasswordReadGivesTheNewPairNotAMix() throws Exception {
        SwappingMount mount = SwappingMount.swappedAt(1); // the user read before the swap, the password after

        assertThat(new UserPasswordFiles(USER, PASSWORD, mount).read()).isEqualTo("second:pw-second");
    }

    @Test
    void filesThatDoNotChangeAreReadTwice() throws Exception {
        SwappingMount mount = SwappingMount.swappedAt(Integer.MAX_VALUE);

        assertThat(new UserPasswordFiles(USER, PASSWORD, mount).read()).isEqualTo("first:pw-first");
        assertThat(mount.reads).hasValue(4);
    }

    @Test
    void filesThatKeepChangingFailAfterABoundedNumberOfReadsWithoutQuotingThem() {
        SwappingMount mount = new SwappingMount(read -> read / 2 % 2 == 1); // swapped back and forth between pair reads

        assertThatThrownBy(() -> new UserPasswordFiles(USER, PASSWORD, mount).read())
                .isInstanceOf(UserPasswordFiles.FilesKeptChanging.class)
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("pw-"));
        assertThat(mount.reads).hasValue(2 * UserPasswordFiles.READS);
    }

    @Test
    void aUserNameHoldingAColonIsRefusedWithoutQuotingIt() {
        UserPasswordFiles.FileContent pasted = file -> file.equals(USER) ? "first:pw-first" : "pw-first";

        assertThatThrownBy(() -> new UserPasswordFiles(USER, PASSWORD, pasted).read())
                .isInstanceOf(UserPasswordFiles.ColonInUserName.class)
                .satisfies(failure -> assertThat(failure.getMessage()).doesNotContain("pw-"));
    }

    @Test
    void aFileThatCannotBeReadFailsTheRead() {
        UserPasswordFiles.FileContent vanished = file -> {
            throw new IOException("gone");
        };

        assertThatThrownBy(() -> new UserPasswordFiles(USER, PASSWORD, vanished).read())
                .isInstanceOf(IOException.class);
    }
}
