package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.cli.client.ApiClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batch FILE}: a CSV or JSON file posted as one batch ({@code POST /api/v1/batches}, all or
 * nothing), then followed with one bar of its finished jobs until it finishes.
 */
@Command(name = "batch", description = "Submit a batch of jobs from a CSV or JSON file to a running server and follow it. "
    + "Exit status: 0 all completed, 3 some failed, 4 cancelled, 1 error.",
    footer = {"", "Examples:",
        "  planperfect batch docs/examples/generation-batch.csv --job-type generation",
        "  planperfect batch jobs.json --no-watch"})
final class BatchCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Parameters(paramLabel = "FILE", description = "FILE.csv (a header row, one job per row) or FILE.json "
      + "(an array of job bodies, or {\"jobs\": [...], \"callback_url\": ...}).")
  Path file;

  @Option(names = "--job-type", description = "The job_type of CSV rows without a job_type column.") String jobType;
  @Option(names = "--callback-url", description = "Where the server posts the batch's result when it finishes (CSV; "
      + "a JSON file names it in its envelope).") String callbackUrl;
  @Option(names = "--no-watch", description = "Print the batch's id and its jobs' ids, and do not follow it.") boolean noWatch;
  @Option(names = "--interval", description = "Polling interval in milliseconds, when the server has no event stream. "
      + "Default: ${DEFAULT-VALUE}", defaultValue = "1000") long intervalMillis;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ApiClient api = server.client();
    String body = Files.readString(file);
    boolean csv = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
    Map<String, String> query = new LinkedHashMap<>();
    query.put("job_type", jobType);
    query.put("callback_url", callbackUrl);
    JsonNode receipt = api.post("/api/v1/batches" + ApiClient.query(query), csv ? "text/csv" : "application/json", body);
    String id = receipt.path("batch_id").asText();
    if (server.json) {
      JsonOutput.print(receipt);
    } else {
      System.out.println("batch " + id + ": " + receipt.path("total_jobs").asInt() + " jobs submitted");
      if (noWatch) {
        receipt.path("job_ids").forEach(job -> System.out.println(job.asText()));
      }
    }
    return noWatch ? Exits.OK : new BatchWatcher(api, server.json, Duration.ofMillis(intervalMillis)).watch(id);
  }
}
