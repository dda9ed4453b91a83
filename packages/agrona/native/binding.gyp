{
  "targets": [
    {
      "target_name": "mm_mmap",
      "sources": ["mmap.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
