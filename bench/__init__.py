"""`make bench`: the product measured side by side with the bare libraries, in one run, as ratios."""
