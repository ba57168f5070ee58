package dev.jclaw.tools;

import java.util.Map;

/**
 * A built-in tool. {@link #call} runs on a virtual thread of the run; it may block, must honour
 * interruption (an aborted run interrupts it) and reports failures as an error output, which goes
 * back to the model like any result.
 */
public interface Tool {
    String name();

    String description();

    /** JSON Schema of the arguments. */
    Map<String, Object> inputSchema();

    ToolOutput call(ToolContext context, Map<String, Object> arguments) throws InterruptedException;
}
