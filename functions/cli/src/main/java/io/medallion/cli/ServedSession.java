package io.medallion.cli;

import java.nio.file.Path;

/**
 * What a command sent to {@code serve} works on: serve's own pipeline (never closed by the
 * command) and its progress ledger, which the command watches for the lines of its run.
 *
 * @param exactIdle whether the pipeline's transport can tell when every message is handled (the
 *     in-process bus can; the Pub/Sub emulator cannot, so runs are followed in the ledger)
 */
record ServedSession(Path home, LocalPipeline pipeline, ProgressLedger progress, boolean exactIdle) {}
