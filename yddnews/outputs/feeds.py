"""Local feed files written through, item by item.

Scrapy's file storage buffers writes, so a killed crawl loses the tail of its feed although those
items already reached the store. Unbuffered, every exported item is on disk before the store
records it (see StoreItems), and a resumed crawl never misses one.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from scrapy.extensions.feedexport import FileFeedStorage


class WriteThroughFileFeedStorage(FileFeedStorage):
    def open(self, spider=None) -> IO[bytes]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return open(self.path, self.write_mode, buffering=0)
