package io.planperfect;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package arrows of docs/ARCHITECTURE.md, read from the compiled classes (not the tests):
 * {@code pipeline} → {@code engine} → {@code queue} → {@code db}, with {@code worker}, {@code dispatch},
 * {@code scheduler}, {@code maintenance}, {@code http}, {@code dashboard}, {@code cli} and the node's wiring on top.
 */
@AnalyzeClasses(packages = "io.planperfect", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String[] ABOVE_THE_ENGINE = {
      "io.planperfect.http..", "io.planperfect.worker..", "io.planperfect.cli..", "io.planperfect.dispatch..",
      "io.planperfect.scheduler..", "io.planperfect.maintenance..", "io.planperfect.dashboard..", "io.planperfect.metrics..",
      "io.planperfect.health..", "io.planperfect"};

  @ArchTest
  static final ArchRule queue_engine_and_pipeline_know_nothing_of_the_layers_above = noClasses()
      .that().resideInAnyPackage("io.planperfect.queue..", "io.planperfect.engine..", "io.planperfect.pipeline..")
      .should().dependOnClassesThat().resideInAnyPackage(ABOVE_THE_ENGINE)
      .because("the queue and the engine run the same under HTTP, a worker-only node, the CLI or a test");

  @ArchTest
  static final ArchRule the_queue_knows_nothing_of_the_engine = noClasses()
      .that().resideInAPackage("io.planperfect.queue..")
      .should().dependOnClassesThat().resideInAnyPackage("io.planperfect.engine..", "io.planperfect.pipeline..");

  @ArchTest
  static final ArchRule the_pipeline_api_knows_nothing_of_the_engine = noClasses()
      .that().resideInAPackage("io.planperfect.pipeline..")
      .should().dependOnClassesThat().resideInAPackage("io.planperfect.engine..")
      .because("stage authors write against pipeline alone");

  @ArchTest
  static final ArchRule the_pipeline_api_depends_on_json_at_most = noClasses()
      .that().resideInAPackage("io.planperfect.pipeline..")
      .should().dependOnClassesThat(ourClassesOutside("io.planperfect.pipeline..", "io.planperfect.json.."));

  @ArchTest
  static final ArchRule stages_are_written_against_the_pipeline_api = noClasses()
      .that().resideInAPackage("io.planperfect.stages..")
      .should().dependOnClassesThat(ourClassesOutside("io.planperfect.stages..", "io.planperfect.pipeline..",
          "io.planperfect.json..", "io.planperfect.fetch..", "io.planperfect.ai.."))
      .because("a stage handler is given its input and returns its result; it knows no table, queue or worker"
          + " and reaches the network only through the guarded fetcher or the model seam");

  @ArchTest
  static final ArchRule the_fetcher_knows_only_the_pipeline_api_and_configuration = noClasses()
      .that().resideInAPackage("io.planperfect.fetch..")
      .should().dependOnClassesThat(ourClassesOutside("io.planperfect.fetch..", "io.planperfect.pipeline..",
          "io.planperfect.config..", "io.planperfect.json.."));

  @ArchTest
  static final ArchRule only_the_fetcher_opens_outbound_http_for_stage_work = noClasses()
      .that().resideInAPackage("io.planperfect.stages..")
      .should().dependOnClassesThat().resideInAnyPackage("okhttp3..", "java.net.http..")
      .because("every outbound request of stage work goes through io.planperfect.fetch.GuardedFetcher");

  @ArchTest
  static final ArchRule the_model_seam_stands_alone = noClasses()
      .that().resideInAPackage("io.planperfect.ai..")
      .should().dependOnClassesThat(ourClassesOutside("io.planperfect.ai..", "io.planperfect.config..",
          "io.planperfect.json.."))
      .because("every pipeline's stages call the same models; the seam knows no pipeline, table or engine");

  @ArchTest
  static final ArchRule callbacks_know_only_the_fetcher_the_backoff_and_configuration = noClasses()
      .that().resideInAPackage("io.planperfect.callbacks..")
      .should().dependOnClassesThat(ourClassesOutside("io.planperfect.callbacks..", "io.planperfect.fetch..",
          "io.planperfect.queue..", "io.planperfect.config..", "io.planperfect.json.."))
      .because("a callback is posted by the same component whatever finished: a batch now, a job later");

  @ArchTest
  static final ArchRule http_knows_nothing_of_workers_or_the_cli = noClasses()
      .that().resideInAPackage("io.planperfect.http..")
      .should().dependOnClassesThat().resideInAnyPackage("io.planperfect.worker..", "io.planperfect.cli..");

  @ArchTest
  static final ArchRule the_api_knows_nothing_of_the_dashboard = noClasses()
      .that().resideInAPackage("io.planperfect.http..")
      .should().dependOnClassesThat().resideInAPackage("io.planperfect.dashboard..")
      .because("the dashboard is a client of the API's pieces (keys, sessions, parsers), never the other way round");

  @ArchTest
  static final ArchRule the_dashboard_knows_nothing_of_workers_the_cli_or_the_wiring = noClasses()
      .that().resideInAPackage("io.planperfect.dashboard..")
      .should().dependOnClassesThat().resideInAnyPackage("io.planperfect.worker..", "io.planperfect.cli..",
          "io.planperfect.maintenance..", "io.planperfect")
      .because("its pages call the same engine, dispatch and scheduler operations as the API's routes");

  @ArchTest
  static final ArchRule readiness_stands_alone = noClasses()
      .that().resideInAPackage("io.planperfect.health..")
      .should().dependOnClassesThat(ourClassesOutside("io.planperfect.health.."))
      .because("every part registers its checks with it, so it can depend on none of them");

  @ArchTest
  static final ArchRule the_clis_client_knows_the_server_only_by_http = noClasses()
      .that().resideInAPackage("io.planperfect.cli.client..")
      .should().dependOnClassesThat(ourClassesOutside("io.planperfect.cli.client..", "io.planperfect.json.."))
      .because("submit, watch, jobs and the other server commands talk to a running server over HTTP, never to its database");

  @ArchTest
  static final ArchRule the_server_commands_reach_the_server_only_through_the_client = noClasses()
      .that(new DescribedPredicate<JavaClass>("use the CLI's HTTP client") {
        @Override
        public boolean test(JavaClass c) {
          return c.getDirectDependenciesFromSelf().stream()
              .anyMatch(d -> d.getTargetClass().getPackageName().equals("io.planperfect.cli.client"));
        }
      })
      .should().dependOnClassesThat().resideInAnyPackage("io.planperfect.db..", "io.planperfect.queue..",
          "io.planperfect.engine..", "io.planperfect.http..", "io.planperfect.dispatch..", "io.planperfect.worker..")
      .because("a command that calls the server does not also reach around it");

  @ArchTest
  static final ArchRule the_top_level_packages_have_no_cycles = slices()
      .matching("io.planperfect.(*)..")
      .should().beFreeOfCycles();

  private static DescribedPredicate<JavaClass> ourClassesOutside(String... packages) {
    return resideInAPackage("io.planperfect..").and(resideOutsideOfPackages(packages));
  }
}
