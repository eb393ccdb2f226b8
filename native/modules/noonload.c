/* Trellis test library with no RedisModule_OnLoad: loading it must fail. */
int trellis_not_a_module(int x) { return x + 1; }
