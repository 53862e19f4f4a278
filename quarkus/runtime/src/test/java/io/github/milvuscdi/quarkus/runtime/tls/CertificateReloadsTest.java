package io.github.milvuscdi.quarkus.runtime.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Quarkus fires {@code CertificateUpdatedEvent} at every {@code reload-period}, changed or not: an alias reconnects
 * only when its certificates differ from those it connected with, tries again after a failure, and never twice at
 * once.
 */
class CertificateReloadsTest {

    private static final byte[] FIRST = {1};
    private static final byte[] SECOND = {2};

    private final CertificateReloads reloads = new CertificateReloads();
    private final AtomicInteger reconnects = new AtomicInteger();

    @Test
    void aReloadOfTheSameCertificatesLeavesTheConnectionAsItIs() {
        reloads.connecting("search", FIRST);

        reloads.reloaded("search", "milvus", FIRST.clone(), reconnects::incrementAndGet);
        reloads.reloaded("search", "milvus", FIRST.clone(), reconnects::incrementAndGet);

        assertThat(reconnects).hasValue(0);
    }

    @Test
    void changedCertificatesReconnectTheAliasOnce() {
        reloads.connecting("search", FIRST);

        reloads.reloaded("search", "milvus", SECOND, this::reconnectWithSecond);
        reloads.reloaded("search", "milvus", SECOND, this::reconnectWithSecond);

        assertThat(reconnects).hasValue(1);
    }

    @Test
    void aFailedReconnectIsTriedAgainAtTheNextReload() {
        reloads.connecting("search", FIRST);
        Runnable failing = () -> {
            reloads.connecting("search", SECOND); // the factory wrote them, then connecting failed
            reconnects.incrementAndGet();
            throw new IllegalStateException("handshake failed");
        };

        reloads.reloaded("search", "milvus", SECOND, failing);
        reloads.reloaded("search", "milvus", SECOND, this::reconnectWithSecond);
        reloads.reloaded("search", "milvus", SECOND, this::reconnectWithSecond);

        assertThat(reconnects).hasValue(2);
    }

    @Test
    void aReloadWhileAReconnectRunsLeavesItToTheNextReload() {
        reloads.connecting("search", FIRST);
        AtomicInteger during = new AtomicInteger();

        reloads.reloaded("search", "milvus", SECOND, () -> {
            Thread other = new Thread(() -> reloads.reloaded("search", "milvus", SECOND, during::incrementAndGet));
            other.start();
            try {
                other.join(10_000);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            reconnectWithSecond();
        });

        assertThat(during).hasValue(0);
        assertThat(reconnects).hasValue(1);
    }

    private void reconnectWithSecond() {
        reloads.connecting("search", SECOND);
        reconnects.incrementAndGet();
    }
}
