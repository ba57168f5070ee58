package dev.jclaw.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code channels.telegram}: one or more bot accounts, each with the root's settings applied where
 * the account sets none (OpenClaw's rule, an account's {@code groups} replacing the root's).
 *
 * @param enabled        {@code channels.telegram.enabled} (default true); false stops every account
 * @param defaultAccount the account bindings without {@code accountId} mean ({@code defaultAccount},
 *                       else {@code default} when configured, else the first)
 * @param accounts       {@code accounts.<id>}, in file order; one account {@code default} when the file has none
 */
public record TelegramConfig(boolean enabled, String defaultAccount, List<Account> accounts) {
    /** The Bot API's public root. */
    public static final URI PUBLIC_API_ROOT = URI.create("https://api.telegram.org");
    /** Telegram refuses longer texts (4096); OpenClaw keeps 96 characters of headroom. */
    public static final int MAX_TEXT_CHUNK = 4000;
    public static final String DEFAULT_ACCOUNT = "default";

    public TelegramConfig {
        accounts = List.copyOf(accounts);
    }

    public Optional<Account> account(String id) {
        return accounts.stream().filter(a -> a.id().equals(id)).findFirst();
    }

    /**
     * One bot, settings merged.
     *
     * @param enabled        false when the account or the channel is disabled
     * @param token          the bot token, or null when none could be had (then {@code tokenProblem} says why)
     * @param tokenSource    where the token came from: {@code tokenFile}, {@code botToken} or {@code env}
     * @param tokenProblem   why the account has no token, or null
     * @param apiRoot        the Bot API root ({@code apiRoot}, default the public one)
     * @param access         DM, group and topic access
     * @param textChunkLimit characters per message at most (at most {@value #MAX_TEXT_CHUNK})
     * @param streaming      how a reply is shown while the agent writes it
     * @param replyToMode    which sent chunks quote the message they answer
     * @param mediaMaxBytes  inbound photos and documents larger than this are not saved
     * @param webhook        webhook mode's settings, or null for long polling
     * @param proxy          an HTTP proxy for Bot API calls, or null
     * @param linkPreview    whether Telegram previews links in replies
     * @param responsePrefix text put before every reply, or null
     */
    public record Account(String id, String name, boolean enabled, Secret token, String tokenSource, String tokenProblem, URI apiRoot,
                          ChannelAccess access, int textChunkLimit, StreamingMode streaming, ReplyToMode replyToMode, long mediaMaxBytes,
                          Webhook webhook, URI proxy, boolean linkPreview, String responsePrefix) {}

    /**
     * Webhook mode: Telegram posts updates to {@code url}, which must reach the listener JClaw opens
     * on {@code host:port} at {@code path}, with {@code secret} in the X-Telegram-Bot-Api-Secret-Token header.
     */
    public record Webhook(URI url, Secret secret, String path, String host, int port, Path certificate) {
        public static final String DEFAULT_PATH = "/telegram-webhook";
        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 8787;
    }

    /** {@code streaming.mode}. */
    public enum StreamingMode {
        /** The reply is sent when complete. */
        OFF("off"),
        /** A preview message edited (throttled) as the text grows, finished in place. */
        PARTIAL("partial"),
        /** Finished paragraphs sent as they come. */
        BLOCK("block"),
        /** One status message listing the tools at work; the reply sent as a new message (the default). */
        PROGRESS("progress");

        private final String wire;

        StreamingMode(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /** {@code replyToMode}. */
    public enum ReplyToMode {
        OFF("off"), FIRST("first"), ALL("all"), BATCHED("batched");

        private final String wire;

        ReplyToMode(String wire) {
            this.wire = wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }
}
