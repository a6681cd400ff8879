"""Kafka's default partitioner for keyed records, checked against Kafka."""

from collections import Counter

from streamlab.log import CommitLog, crc32_partitioner
from streamlab.partitioning import murmur2, murmur2_partitioner, to_positive

# --8<-- [start:vectors]
# Vectors from Kafka's own UtilsTest.testMurmur2.
for key, expected in ((b"21", -973932308), (b"foobar", -790332482)):
    print(key, murmur2(key), murmur2(key) == expected)
# > b'21' -973932308 True
# > b'foobar' -790332482 True
print(to_positive(-973932308), to_positive(-(2**31)), abs(-(2**31)))
# > 1173551340 0 2147483648
# --8<-- [end:vectors]

# --8<-- [start:route]
for name in ("abc", "order-1001", "user-7", "device-9"):
    print(name, [murmur2_partitioner(name.encode(), n) for n in (3, 6, 12)])
# > abc [0, 3, 3]
# > order-1001 [0, 0, 6]
# > user-7 [2, 2, 8]
# > device-9 [1, 4, 10]
# --8<-- [end:route]

# --8<-- [start:spread]
keys = [f"customer-{i}".encode() for i in range(60_000)]
spread = Counter(murmur2_partitioner(k, 6) for k in keys)
print(sorted(spread.values()))
# > [9836, 9868, 9938, 10018, 10147, 10193]
# --8<-- [end:spread]

# --8<-- [start:plug]
kafka_like = CommitLog[str](partitions=6, partitioner=murmur2_partitioner)
crc_based = CommitLog[str](partitions=6, partitioner=crc32_partitioner)
print(kafka_like.append("foobar", "v", 0), crc_based.append("foobar", "v", 0))
# > (0, 0) (5, 0)
# --8<-- [end:plug]
