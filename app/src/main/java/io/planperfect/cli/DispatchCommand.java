package io.planperfect.cli;

import io.planperfect.json.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dispatch}: one dispatcher cycle on the server (seed 000's content-queue-dispatcher); prints its JSON. */
@Command(name = "dispatch", description = "Run one dispatcher cycle on a running server and print its answer (seed 000's JSON).")
final class DispatchCommand implements Callable<Integer> {
  @Mixin ServerOptions server;

  @Override
  public Integer call() throws Exception {
    var report = server.client().post("/functions/v1/content-queue-dispatcher", Json.object());
    if (server.json) {
      JsonOutput.print(report);
    } else {
      System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    }
    return Exits.OK;
  }
}
