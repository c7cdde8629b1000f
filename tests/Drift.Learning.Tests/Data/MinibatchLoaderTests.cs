using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;
using Drift.Learning.Data;
using Drift.Learning.Optimisers;

namespace Drift.Learning.Tests.Data;

public class MinibatchLoaderTests
{
    /// <summary>n rows whose inputs (r, 1000 + r), target r and label 7r identify the row.</summary>
    static MinibatchLoader<double> Loader(int n, int batchSize, ulong seed, bool shuffle = true, bool dropLast = false)
    {
        var x = new double[2 * n];
        var y = new double[n];
        var labels = new int[n];
        for (int r = 0; r < n; r++)
        {
            x[2 * r] = r;
            x[2 * r + 1] = 1000 + r;
            y[r] = r;
            labels[r] = 7 * r;
        }
        return new MinibatchLoader<double>(Tensor<double>.Wrap(x, n, 2), Tensor<double>.Wrap(y, n, 1), labels, batchSize, seed, shuffle, dropLast);
    }

    /// <summary>The rows of the next batch, after checking that inputs, targets and labels all belong to those rows.</summary>
    static int[] NextRows(MinibatchLoader<double> loader)
    {
        var batch = loader.Next();
        Assert.Equal(batch.Rows.Length, batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            int r = batch.Rows[i];
            Assert.Equal(r, batch.Inputs[i, 0]);
            Assert.Equal(1000 + r, batch.Inputs[i, 1]);
            Assert.Equal(r, batch.Targets![i, 0]);
            Assert.Equal(7 * r, batch.Labels![i]);
        }
        return batch.Rows;
    }

    static int[] Epoch(MinibatchLoader<double> loader) =>
        [.. Enumerable.Range(0, loader.BatchesPerEpoch).SelectMany(_ => NextRows(loader))];

    [Fact]
    public void Each_epoch_visits_every_row_exactly_once_with_targets_and_labels_aligned()
    {
        var loader = Loader(10, 3, seed: 80);
        Assert.Equal(4, loader.BatchesPerEpoch);
        for (int e = 0; e < 5; e++)
        {
            Assert.Equal((e, 0), loader.Position);
            var sizes = new List<int>();
            var rows = new List<int>();
            for (int b = 0; b < 4; b++)
            {
                var r = NextRows(loader);
                sizes.Add(r.Length);
                rows.AddRange(r);
            }
            Assert.Equal(new[] { 3, 3, 3, 1 }, sizes);
            Assert.Equal(Enumerable.Range(0, 10), rows.Order());
        }
        var big = Loader(1000, 64, seed: 81);
        Assert.Equal(16, big.BatchesPerEpoch);
        Assert.Equal(Enumerable.Range(0, 1000), Epoch(big).Order());
    }

    [Fact]
    public void Epochs_are_reshuffled_and_the_sequence_is_a_function_of_the_seed()
    {
        var a = Loader(20, 5, seed: 82);
        var b = Loader(20, 5, seed: 82);
        var c = Loader(20, 5, seed: 83);
        var epochs = Enumerable.Range(0, 4).Select(_ => Epoch(a)).ToArray();
        for (int e = 0; e < 4; e++)
        {
            Assert.Equal(epochs[e], Epoch(b));
            Assert.NotEqual(epochs[e], Epoch(c));
            if (e > 0) Assert.NotEqual(epochs[e - 1], epochs[e]);
        }
        Assert.NotEqual(Enumerable.Range(0, 20), epochs[0]);
    }

    [Fact]
    public void Setting_Position_to_a_saved_value_continues_identically_even_backwards()
    {
        var a = Loader(10, 3, seed: 84);
        for (int k = 0; k < 7; k++) a.Next();
        var saved = a.Position;
        Assert.Equal((1, 3), saved);
        var expected = Enumerable.Range(0, 9).Select(_ => NextRows(a)).ToArray();

        var b = Loader(10, 3, seed: 84);
        b.Position = saved;
        Assert.Equal(expected, Enumerable.Range(0, 9).Select(_ => NextRows(b)).ToArray());

        // The loader now sits in epoch 3; going back to epoch 1 must rebuild that epoch's permutation.
        a.Position = saved;
        Assert.Equal(expected, Enumerable.Range(0, 9).Select(_ => NextRows(a)).ToArray());
    }

    [Fact]
    public void A_Position_outside_the_epoch_is_rejected_when_set()
    {
        // With dropLast, (e, 3) of 10 rows in batches of 3 would otherwise hand out the dropped short batch;
        // (e, 7) would fail later inside Next with an unrelated message; a saved position from a loader with
        // another batch size must not be taken silently.
        var loader = Loader(10, 3, seed: 88, dropLast: true);
        foreach (var bad in new[] { (0, 3), (2, 7), (-1, 0), (0, -1) })
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => loader.Position = bad);
            Assert.Equal("value", ex.ParamName);
            Assert.Equal((0, 0), loader.Position);
        }
        loader.Position = (5, 2);
        Assert.Equal((5, 2), loader.Position);
        Assert.Equal(3, NextRows(loader).Length);
        Assert.Equal((6, 0), loader.Position);
    }

    [Fact]
    public void A_checkpointed_position_that_does_not_fit_the_loader_is_rejected_before_anything_changes()
    {
        var w = Tensor<double>.Variable([1.0, 2.0], 2);
        var saved = Loader(10, 3, seed: 89, dropLast: true);
        saved.Position = (1, 2);
        string path = Path.Combine(Path.GetTempPath(), $"drift-loader-{Guid.NewGuid():N}.safetensors");
        try
        {
            Checkpoint.SaveTraining(path, [("w", w)], new Sgd<double>([w], 0.1), loader: saved);
            var other = Tensor<double>.Variable([5.0, 6.0], 2);
            var smaller = Loader(10, 5, seed: 89, dropLast: true); // 2 batches per epoch: batch 2 does not exist
            var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadTraining(path, [("w", other)], new Sgd<double>([other], 0.1), loader: smaller));
            Assert.Contains("loader position", ex.Message, StringComparison.Ordinal);
            Assert.Equal(new[] { 5.0, 6.0 }, other.ToArray());
            Assert.Equal((0, 0), smaller.Position);

            var same = Loader(10, 3, seed: 89, dropLast: true);
            Checkpoint.LoadTraining(path, [("w", other)], new Sgd<double>([other], 0.1), loader: same);
            Assert.Equal((1, 2), same.Position);
            Assert.Equal(new[] { 1.0, 2.0 }, other.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DropLast_gives_only_full_batches_of_distinct_rows_and_floor_n_over_b_batches()
    {
        var loader = Loader(10, 3, seed: 85, dropLast: true);
        Assert.Equal(3, loader.BatchesPerEpoch);
        for (int e = 0; e < 4; e++)
        {
            var rows = new List<int>();
            for (int b = 0; b < 3; b++)
            {
                var r = NextRows(loader);
                Assert.Equal(3, r.Length);
                rows.AddRange(r);
            }
            Assert.Equal(9, rows.Distinct().Count());
            Assert.All(rows, r => Assert.InRange(r, 0, 9));
            Assert.Equal((e + 1, 0), loader.Position);
        }
        Assert.Equal(2, Loader(10, 5, seed: 85, dropLast: true).BatchesPerEpoch);
        Assert.Equal(2, Loader(10, 5, seed: 85, dropLast: false).BatchesPerEpoch);
        Assert.Equal(1, Loader(10, 10, seed: 85, dropLast: true).BatchesPerEpoch);
        Assert.Equal(10, Loader(10, 1, seed: 85, dropLast: false).BatchesPerEpoch);
        Assert.Equal(1, Loader(10, 64, seed: 85, dropLast: false).BatchesPerEpoch);
    }

    [Fact]
    public void Without_shuffle_every_epoch_is_in_data_order()
    {
        var loader = Loader(7, 3, seed: 86, shuffle: false);
        for (int e = 0; e < 3; e++) Assert.Equal(Enumerable.Range(0, 7), Epoch(loader));
    }

    [Fact]
    public void Bad_arguments_throw_ArgumentException_naming_the_problem()
    {
        var x = Tensor<double>.Zeros(5, 2);
        var targets = Assert.Throws<ArgumentException>(() => new MinibatchLoader<double>(x, Tensor<double>.Zeros(4, 1), null, 2, 0));
        Assert.Equal("targets", targets.ParamName);
        Assert.Contains("5 rows", targets.Message, StringComparison.Ordinal);
        var labels = Assert.Throws<ArgumentException>(() => new MinibatchLoader<double>(x, null, new int[6], 2, 0));
        Assert.Equal("labels", labels.ParamName);
        Assert.Contains("6 labels for 5 input rows", labels.Message, StringComparison.Ordinal);
        Assert.Equal("batchSize", Assert.ThrowsAny<ArgumentException>(() => new MinibatchLoader<double>(x, null, null, 0, 0)).ParamName);
        Assert.Equal("batchSize", Assert.ThrowsAny<ArgumentException>(() => new MinibatchLoader<double>(x, null, null, -3, 0)).ParamName);
        var tooBig = Assert.ThrowsAny<ArgumentException>(() => new MinibatchLoader<double>(x, null, null, 6, 0, dropLast: true));
        Assert.Equal("batchSize", tooBig.ParamName);
        Assert.Contains("never fits 5 rows", tooBig.Message, StringComparison.Ordinal);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => new MinibatchLoader<double>(Tensor<double>.Zeros(0, 2), null, null, 1, 0)).ParamName);
        Assert.Equal("inputs", Assert.Throws<ArgumentException>(() => new MinibatchLoader<double>(Tensor<double>.Scalar(1), null, null, 1, 0)).ParamName);
    }

    [Fact]
    public void The_position_of_row_zero_in_a_shuffled_epoch_is_uniform_and_so_is_the_permutation()
    {
        // 24 000 epochs of a 4-row loader (one batch of 4 each): the place of row 0 over 4 cells, chi-squared
        // below the 0.999 quantile of χ²(3) = 16.27, and the whole permutation over 24 cells, below that of χ²(23) = 49.73.
        const int epochs = 24_000;
        var loader = Loader(4, 4, seed: 87);
        var place = new int[4];
        var permutations = new Dictionary<string, int>();
        for (int e = 0; e < epochs; e++)
        {
            var rows = loader.Next().Rows;
            place[Array.IndexOf(rows, 0)]++;
            string key = string.Join(",", rows);
            permutations[key] = permutations.GetValueOrDefault(key) + 1;
        }
        double expectedPlace = epochs / 4.0;
        double chiPlace = place.Sum(o => (o - expectedPlace) * (o - expectedPlace) / expectedPlace);
        Assert.True(chiPlace < 16.27, $"row 0 positions {string.Join(", ", place)}: χ² = {chiPlace}");

        Assert.Equal(24, permutations.Count);
        double expectedPermutation = epochs / 24.0;
        double chiPermutation = permutations.Values.Sum(o => (o - expectedPermutation) * (o - expectedPermutation) / expectedPermutation);
        Assert.True(chiPermutation < 49.73, $"permutation χ² = {chiPermutation}");
    }
}
