"""The payments of signed conventions: one line per instalment, moved forward by staff, released by its
condition (signature, date, report accepted), audited; the convention's legal commitment; the finance export."""
