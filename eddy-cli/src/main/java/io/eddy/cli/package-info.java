/**
 * The {@code eddy} command line: {@link io.eddy.cli.Main} and {@code ServeCommand}, which assembles the
 * store, the FQL engine, event streams and the HTTP server from their typed configs and shuts them
 * down in reverse order on SIGTERM.
 */
package io.eddy.cli;
