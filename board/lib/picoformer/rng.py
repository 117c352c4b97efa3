# The generator of docs/format.md "Generation and sampling": xorshift32 from the mixed seed, kept in two 16-bit
# halves so every intermediate stays a small int (MicroPython allocates ints of 31 bits and more). Its own module so
# the ulab path (sampling_np.py) does not import the pure-Python token choice.


class Rng:
    def __init__(self, seed):
        # The seed mixed (one splitmix32 output) so small or neighbouring seeds give unrelated streams. Long ints
        # here are fine: this runs once per generation.
        m = 0xFFFFFFFF
        s = ((seed & m) + 0x9E3779B9) & m
        s = ((s ^ (s >> 16)) * 0x85EBCA6B) & m
        s = ((s ^ (s >> 13)) * 0xC2B2AE35) & m
        s ^= s >> 16
        if s == 0:
            s = 0x9E3779B9
        self.hi = s >> 16
        self.lo = s & 0xFFFF

    def uniform(self):
        """The next state's (x >> 8) / 2**24."""
        hi = self.hi
        lo = self.lo
        # x ^= x << 13
        t = ((hi << 13) | (lo >> 3)) & 0xFFFF
        lo ^= (lo << 13) & 0xFFFF
        hi ^= t
        # x ^= x >> 17
        lo ^= hi >> 1
        # x ^= x << 5
        t = ((hi << 5) | (lo >> 11)) & 0xFFFF
        lo ^= (lo << 5) & 0xFFFF
        hi ^= t
        self.hi = hi
        self.lo = lo
        return ((hi << 8) | (lo >> 8)) / 16777216
