namespace Drift.Tests.Random;

/// <summary>
/// An independent, deliberately plain Philox4x32-10 + Box–Muller written for the tests: 32-bit
/// words in arrays, Math.Log/Math.Cos/Math.Sin. It shares no code with the library.
/// </summary>
internal static class ReferencePhilox
{
    public static uint[] Block(uint[] counter, uint[] key)
    {
        var c = (uint[])counter.Clone();
        uint k0 = key[0], k1 = key[1];
        for (int round = 0; round < 10; round++)
        {
            ulong prod0 = 0xD2511F53UL * c[0];
            ulong prod1 = 0xCD9E8D57UL * c[2];
            c = [(uint)(prod1 >> 32) ^ c[1] ^ k0, (uint)prod1, (uint)(prod0 >> 32) ^ c[3] ^ k1, (uint)prod0];
            k0 += 0x9E3779B9;
            k1 += 0xBB67AE85;
        }
        return c;
    }

    /// <summary>Draw <paramref name="draw"/> of stream <paramref name="stream"/> under Drift's documented layout.</summary>
    public static double Normal(ulong seed, ulong stream, ulong draw)
    {
        ulong block = draw / 2;
        var x = Block([(uint)stream, (uint)(stream >> 32), (uint)block, (uint)(block >> 32)], [(uint)seed, (uint)(seed >> 32)]);
        ulong a = ((ulong)x[0] << 32) | x[1];
        ulong b = ((ulong)x[2] << 32) | x[3];
        double u1 = ((a >> 12) + 0.5) / 4503599627370496.0;
        double u2 = ((b >> 12) + 0.5) / 4503599627370496.0;
        double r = Math.Sqrt(-2 * Math.Log(u1));
        return draw % 2 == 0 ? r * Math.Cos(2 * Math.PI * u2) : r * Math.Sin(2 * Math.PI * u2);
    }
}
