package io.planperfect.stages.content;

import java.util.Arrays;

/** Splits a word total into parts by weight so that the parts add up exactly to the total. */
final class WordBudget {
  private WordBudget() {}

  static int[] split(int total, double... weights) {
    double sum = 0;
    for (double weight : weights) {
      sum += weight;
    }
    int[] parts = new int[weights.length];
    int assigned = 0;
    for (int i = 0; i < weights.length; i++) {
      parts[i] = (int) Math.floor(total * weights[i] / sum);
      assigned += parts[i];
    }
    // why: rounding down leaves a few words over; hand them out from the first part on.
    for (int i = 0; assigned < total; i = (i + 1) % parts.length) {
      parts[i]++;
      assigned++;
    }
    return parts;
  }

  static int[] evenly(int total, int count) {
    double[] weights = new double[count];
    Arrays.fill(weights, 1.0);
    return split(total, weights);
  }
}
