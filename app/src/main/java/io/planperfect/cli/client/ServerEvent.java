package io.planperfect.cli.client;

/** One Server-Sent Event: its id (null when it had none), its name ("message" by default) and its data. */
public record ServerEvent(String id, String name, String data) {}
