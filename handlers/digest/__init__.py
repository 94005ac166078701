"""The staff's morning digest: a day's figures per building, the ladders and flags, and a chart."""
