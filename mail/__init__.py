"""Mail: an outbox written with each event, a sender with retries, French messages built per edition."""
