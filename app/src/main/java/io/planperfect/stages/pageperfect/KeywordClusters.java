package io.planperfect.stages.pageperfect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.math3.ml.clustering.Cluster;
import org.apache.commons.math3.ml.clustering.DBSCANClusterer;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.distance.DistanceMeasure;

/**
 * DBSCAN (commons-math3) over keyword vectors with cosine distance: keywords within {@code eps} of
 * each other, in groups of at least {@code minPts}, form a cluster; a keyword in none (noise) becomes a
 * cluster of its own. Each cluster is named by its keyword nearest the cluster's centre.
 */
final class KeywordClusters {
  /** One cluster: its name, its keywords, and whether DBSCAN left them as noise. */
  record KeywordCluster(int id, String name, List<String> keywords, boolean noise) {}

  private static final DistanceMeasure COSINE_DISTANCE = (a, b) -> 1 - cosine(a, b);

  private KeywordClusters() {}

  static List<KeywordCluster> cluster(KeywordVectors vectors, double eps, int minPts) {
    List<DoublePoint> points = new ArrayList<>();
    for (float[] vector : vectors.keywordVectors()) {
      points.add(new DoublePoint(Vectors.doubles(vector)));
    }
    List<Cluster<DoublePoint>> found = new DBSCANClusterer<DoublePoint>(eps, minPts, COSINE_DISTANCE).cluster(points);
    List<List<String>> groups = new ArrayList<>();
    Set<Integer> clustered = new HashSet<>();
    for (Cluster<DoublePoint> cluster : found) {
      List<String> keywords = new ArrayList<>();
      for (DoublePoint point : cluster.getPoints()) {
        int index = indexOf(points, point);
        clustered.add(index);
        keywords.add(vectors.keywords().get(index));
      }
      groups.add(keywords);
    }
    List<KeywordCluster> clusters = new ArrayList<>();
    for (List<String> group : groups) {
      clusters.add(new KeywordCluster(clusters.size(), name(group, vectors), group, false));
    }
    for (int i = 0; i < points.size(); i++) {
      if (!clustered.contains(i)) {
        String keyword = vectors.keywords().get(i);
        clusters.add(new KeywordCluster(clusters.size(), keyword, List.of(keyword), true));
      }
    }
    return clusters;
  }

  /** Every keyword its own cluster (keyword_clustering skipped). */
  static List<KeywordCluster> singletons(KeywordVectors vectors) {
    List<KeywordCluster> clusters = new ArrayList<>();
    for (String keyword : vectors.keywords()) {
      clusters.add(new KeywordCluster(clusters.size(), keyword, List.of(keyword), false));
    }
    return clusters;
  }

  private static String name(List<String> keywords, KeywordVectors vectors) {
    float[] centre = Vectors.mean(keywords.stream().map(vectors::keywordVector).toList());
    return keywords.stream()
        .min(Comparator.comparingDouble((String k) -> -Vectors.cosine(vectors.keywordVector(k), centre))
            .thenComparingInt(String::length))
        .orElseThrow();
  }

  /** By identity: DoublePoint has no equality of its own worth trusting for duplicates. */
  private static int indexOf(List<DoublePoint> points, DoublePoint point) {
    for (int i = 0; i < points.size(); i++) {
      if (points.get(i) == point) {
        return i;
      }
    }
    throw new IllegalStateException("a clustered point is not among the keywords");
  }

  private static double cosine(double[] a, double[] b) {
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
}
