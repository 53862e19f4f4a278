package io.github.milvuscdi.it.quarkus;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Turns text into vectors with the sentence-embedding model all-MiniLM-L6-v2, run in this process
 * by ONNX Runtime: {@value #DIMENSION} numbers of length 1 per text, texts of close meaning pointing
 * in close directions (compare them by cosine). The model ships inside its jar; nothing is downloaded.
 *
 * <p>The model is loaded once per application, and loading it takes longer than the rest of the
 * application's startup (90 MB read and prepared by ONNX Runtime: seconds, see the module's README).
 * So it starts loading in the background as the application starts: startup is not delayed, a
 * request that needs the model meanwhile waits for it (at most {@link #LOAD_TIMEOUT}), and
 * {@link EmbeddingModelReadiness} reports the application not ready until it is loaded.
 *
 * <p>Thread safe: ONNX Runtime sessions and the tokenizer may be used from many threads at once.
 */
@Startup
@ApplicationScoped
public class NoteEmbeddings {

    /** The number of dimensions of every vector this model produces. */
    public static final int DIMENSION = 384;

    /** The model's name, as its authors publish it. */
    public static final String MODEL = "all-MiniLM-L6-v2";

    /** How long a request waits for the model to be loaded. */
    static final Duration LOAD_TIMEOUT = Duration.ofMinutes(2);

    private static final Logger LOG = Logger.getLogger(NoteEmbeddings.class);

    private final CompletableFuture<EmbeddingModel> model = new CompletableFuture<>();
    private volatile long loadMillis = -1;

    @PostConstruct
    void startLoading() {
        Thread loader = new Thread(this::load, "embedding-model-loader");
        // the library finds the model through the context class loader: the application's
        loader.setContextClassLoader(NoteEmbeddings.class.getClassLoader());
        // an application stopped while the model loads must not wait for it
        loader.setDaemon(true);
        loader.start();
    }

    private void load() {
        long start = System.nanoTime();
        try {
            // The texts of one request are embedded on the request's own thread, one after the
            // other: the library's default executor would start a thread pool that nothing stops.
            EmbeddingModel loaded = new AllMiniLmL6V2EmbeddingModel(Runnable::run);
            loadMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            LOG.infof("Loaded the sentence-embedding model %s (%d dimensions) in %d ms", MODEL, DIMENSION, loadMillis);
            model.complete(loaded);
        } catch (RuntimeException | Error e) {
            // ExceptionInInitializerError, UnsatisfiedLinkError: a platform without the native libraries
            LOG.errorf(e, "Cannot load the sentence-embedding model %s: %s", MODEL, e);
            model.completeExceptionally(e);
        }
    }

    /**
     * Embeds one text, waiting for the model if it is still loading.
     *
     * @param text not blank
     * @return its vector, {@value #DIMENSION} numbers
     * @throws EmbeddingModelUnavailableException when the model could not be loaded, or not within
     *     {@link #LOAD_TIMEOUT}
     */
    public float[] embed(String text) {
        return model().embed(text).content().vector();
    }

    /**
     * Embeds texts, in their order, waiting for the model if it is still loading.
     *
     * @param texts none blank
     * @return one vector per text, in the same order
     * @throws EmbeddingModelUnavailableException when the model could not be loaded, or not within
     *     {@link #LOAD_TIMEOUT}
     */
    public List<float[]> embedAll(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>(texts.size());
        texts.forEach(text -> segments.add(TextSegment.from(text)));
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (Embedding embedding : model().embedAll(segments).content()) {
            vectors.add(embedding.vector());
        }
        return vectors;
    }

    /** Whether the model is loaded and ready to embed. */
    boolean isLoaded() {
        return model.isDone() && !model.isCompletedExceptionally();
    }

    /** How long loading took, in milliseconds; -1 until it is loaded. */
    long loadMillis() {
        return loadMillis;
    }

    /** Why the model could not be loaded; {@code null} while it loads and once it is loaded. */
    Throwable failure() {
        if (!model.isCompletedExceptionally()) {
            return null;
        }
        try {
            model.getNow(null);
            return null;
        } catch (RuntimeException e) {
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private EmbeddingModel model() {
        try {
            return model.get(LOAD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EmbeddingModelUnavailableException(
                    "The sentence-embedding model " + MODEL + " could not be loaded: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new EmbeddingModelUnavailableException(
                    "The sentence-embedding model " + MODEL + " was not loaded within " + LOAD_TIMEOUT.toSeconds()
                            + " s",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EmbeddingModelUnavailableException(
                    "Interrupted while waiting for the sentence-embedding " + "model " + MODEL, e);
        }
    }
}
