"""The newsletter: subscriptions, campaigns, mailers and the outbox worker."""
