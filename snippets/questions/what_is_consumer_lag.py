"""Two ways an offset-based lag number misleads: compaction and position."""

from streamlab.lag import lag_of, partition_lag
from streamlab.log import CommitLog

# --8<-- [start:compacted]
# 1,000 price updates for 10 products; the group is still at offset 0.
prices = CommitLog[int](cleanup_policy="compact")
for i in range(1_000):
    prices.append(f"sku-{i % 10}", i, timestamp=i)
pricing = prices.group("pricing", reset="earliest")
pricing.commit({0: 0})
prices.compact(now=1_000)  # the cleaner keeps the latest value per key
left = prices.read(0, 0)
print("lag", lag_of(prices, pricing)[0], "| records to read", len(left))
# > lag 1000 | records to read 10
# --8<-- [end:compacted]

# --8<-- [start:position]
clicks = CommitLog[int]()
for i in range(500):
    clicks.append(None, i, timestamp=i)
scorer = clicks.group("scorer", reset="earliest")
scorer.poll()  # all 500 fetched and handed to a slow worker pool
scorer.commit({0: 100})  # only the first 100 are done
ends = {0: clicks.end_offset(0)}
committed = partition_lag(ends, {0: scorer.committed(0)})[0]
position = partition_lag(ends, {0: scorer.position(0)})[0]
print("from the commit:", committed, "| from the position:", position)
# > from the commit: 400 | from the position: 0
# --8<-- [end:position]
