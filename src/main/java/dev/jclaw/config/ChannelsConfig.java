package dev.jclaw.config;

/**
 * The {@code channels} section: the chat apps JClaw connects to. Only Telegram is implemented;
 * other channels' sections are accepted with a warning.
 *
 * @param telegram {@code channels.telegram}, or null when the file has none
 */
public record ChannelsConfig(TelegramConfig telegram) {
    public static final ChannelsConfig NONE = new ChannelsConfig(null);
}
