package io.planperfect.stages.pageperfect;

import java.lang.reflect.Method;
import java.util.Optional;

/**
 * The in-process model: LangChain4j's quantised all-MiniLM-L6-v2 (384 dimensions, ONNX, offline).
 * Its artifact is about 130 MB with the ONNX runtime, so it is not on the main jar's required path:
 * the Maven profile {@code embeddings-minilm} puts it on the class path, and this class finds it there
 * by name. Without it, {@link #load()} is empty and segment_embed uses {@link LexicalEmbedder}.
 */
public final class MiniLmEmbedder implements Embedder {
  static final String MODEL_CLASS = "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel";

  private final Object model;
  private final Method embed;

  private MiniLmEmbedder(Object model, Method embed) {
    this.model = model;
    this.embed = embed;
  }

  /** The model, when its artifact is on the class path. */
  public static Optional<Embedder> load() {
    try {
      Object model = Class.forName(MODEL_CLASS).getConstructor().newInstance();
      return Optional.of(new MiniLmEmbedder(model, model.getClass().getMethod("embed", String.class)));
    } catch (ClassNotFoundException | NoClassDefFoundError absent) {
      return Optional.empty();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("the MiniLM embedding model is on the class path but could not be loaded", e);
    }
  }

  @Override
  public String name() {
    return "all-minilm-l6-v2-q";
  }

  @Override
  public synchronized float[] embed(String text) {
    try {
      Object response = embed.invoke(model, text);
      Object embedding = response.getClass().getMethod("content").invoke(response);
      return (float[]) embedding.getClass().getMethod("vector").invoke(embedding);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("MiniLM embedding failed", e);
    }
  }

  @Override
  public double defaultEps() {
    return 0.35;
  }

  @Override
  public double defaultGapThreshold() {
    return 0.4;
  }
}
