package dev.canopy.tools.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** The tools' command line: the product's subcommands and the tools' in one {@code canopy}; helpers for the tools' CLI tests. */
class ToolsCliTest {
    record Run(int code, String out, String err) {}

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = ToolsCli.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code {exit code, out, err}}, as app's KvFlagsCliTest.run gives them. */
    static String[] run(String... args) {
        Run r = cli(args);
        return new String[] {Integer.toString(r.code()), r.out(), r.err()};
    }

    @Test
    void helpListsTheProductsCommandsAndTheTools() {
        Run r = cli("--help");
        assertThat(r.code()).isZero();
        for (String command : new String[] {"info", "generate", "summarize", "memory", "self-test", "serve", "worker",
                "bench", "bench-kv", "bench-batch", "bench-memory", "bench-serve", "bench-rpc", "eval", "random-model"}) {
            assertThat(r.out()).containsPattern("(?m)^ +" + command + "\\b");
        }
    }

    @Test
    void toolCommandsWriteToTheGivenStreamsAndErrorsAreOneLine() {
        Run help = cli("eval", "passkey", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: canopy eval passkey");
        Run missing = cli("bench-batch", "--model", "no-such-model.gguf");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no model file at").doesNotContain("\tat ");
    }
}
