package dev.canopy.app.api;

import dev.canopy.engine.InferenceModel;
import dev.canopy.natives.llama.SamplerSettings;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * One generation a request asks for.
 *
 * @param prompt      the prompt text for the loaded model (a chat goes through its template)
 * @param promptParam the request field the prompt came from (named in a context error)
 * @param maxTokens   new tokens at most, or empty for what the context leaves
 * @param sampling    sampling, with a grammar for JSON output
 * @param stops       stop strings (not part of the answer)
 * @param stream      whether to answer as server-sent events
 * @param streamUsage whether a stream ends with a usage chunk (OpenAI's stream_options.include_usage)
 */
record Job(Function<InferenceModel, String> prompt, String promptParam, OptionalInt maxTokens, SamplerSettings sampling,
           List<String> stops, boolean stream, boolean streamUsage) {
    Job {
        stops = List.copyOf(stops);
    }
}
