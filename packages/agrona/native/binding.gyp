{
  "targets": [
    {
      "target_name": "mm_mmap",
      "sources": ["mmap.c", "futex.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
