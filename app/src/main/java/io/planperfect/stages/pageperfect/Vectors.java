package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.planperfect.stages.Json;
import java.util.List;

/** Small vector arithmetic for embeddings, and their JSON form (rounded to 5 decimals). */
final class Vectors {
  private Vectors() {}

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  static float[] normalised(float[] vector) {
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    if (norm == 0) {
      return vector;
    }
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / Math.sqrt(norm));
    }
    return unit;
  }

  static float[] mean(List<float[]> vectors) {
    float[] sum = new float[vectors.get(0).length];
    for (float[] vector : vectors) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += vector[i] / vectors.size();
      }
    }
    return sum;
  }

  static ArrayNode json(float[] vector) {
    ArrayNode array = Json.array();
    for (float v : vector) {
      array.add(Math.round(v * 100_000d) / 100_000d);
    }
    return array;
  }

  static float[] read(JsonNode array) {
    float[] vector = new float[array.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) array.get(i).asDouble();
    }
    return vector;
  }

  static double[] doubles(float[] vector) {
    double[] values = new double[vector.length];
    for (int i = 0; i < values.length; i++) {
      values[i] = vector[i];
    }
    return values;
  }
}
