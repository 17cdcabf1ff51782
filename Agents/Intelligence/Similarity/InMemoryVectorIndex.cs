using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AspireTickets.Domain.Similarity;

namespace AspireTickets.Agents.Intelligence.Similarity;

/// <summary>
/// The embedded run's vector index: exact search over one contiguous float buffer (slot i holds the vector
/// of point i), so a query is a sequence of SIMD dot products with no pointer chasing. Exact search is
/// cheap at help-desk scale: 100k tickets × 1024 floats is 400 MB/s of streaming, well under 100 ms.
/// Deleting moves the last slot into the hole, keeping the buffer dense.
/// </summary>
public sealed class InMemoryVectorIndex : IVectorIndex
{
    private const int FormatMagic = 0x58495654; // "TVIX"
    private const int FormatVersion = 1;

    /// <summary>Rows scored per block: the block's scores stay in L1 while they are selected from.</summary>
    private const int BlockRows = 256;

    private static readonly IReadOnlyDictionary<string, string> NoPayload = new Dictionary<string, string>();

    /// <summary>Per-thread score buffer, reused by every search on the thread (searches run in parallel under the read lock).</summary>
    [ThreadStatic]
    private static float[]? t_scores;

    // Searches only read, so they share the lock and run in parallel; upserts and deletes take it exclusively.
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<Guid, int> _slots = [];
    private readonly List<Guid> _ids = [];
    private readonly List<SparseVector?> _sparse = [];
    private readonly List<IReadOnlyDictionary<string, string>> _payloads = [];
    private float[] _buffer;

    public InMemoryVectorIndex(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
        _buffer = new float[dimensions * 64];
    }

    public int Dimensions { get; }

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try
            {
                return _ids.Count;
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }
    }

    public ValueTask<long> CountAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<long>(Count);

    public ValueTask UpsertAsync(VectorRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Dense.Length != Dimensions)
        {
            throw new ArgumentException($"Dense vector has {record.Dense.Length} dimensions; the index has {Dimensions}.", nameof(record));
        }

        var payload = record.Payload is null ? NoPayload : new Dictionary<string, string>(record.Payload);
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.TryGetValue(record.Id, out var slot))
            {
                slot = _ids.Count;
                EnsureCapacity(slot + 1);
                _slots[record.Id] = slot;
                _ids.Add(record.Id);
                _sparse.Add(null);
                _payloads.Add(NoPayload);
            }

            record.Dense.Span.CopyTo(_buffer.AsSpan(slot * Dimensions, Dimensions));
            _sparse[slot] = record.Sparse;
            _payloads[slot] = payload;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(id, out var slot))
            {
                return ValueTask.FromResult(false);
            }

            var last = _ids.Count - 1;
            if (slot != last)
            {
                _buffer.AsSpan(last * Dimensions, Dimensions).CopyTo(_buffer.AsSpan(slot * Dimensions, Dimensions));
                _ids[slot] = _ids[last];
                _sparse[slot] = _sparse[last];
                _payloads[slot] = _payloads[last];
                _slots[_ids[slot]] = slot;
            }

            _ids.RemoveAt(last);
            _sparse.RemoveAt(last);
            _payloads.RemoveAt(last);
            return ValueTask.FromResult(true);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// Exact search: the dense scores of a block of rows go into a reused buffer (one SIMD dot product per row over the
    /// contiguous storage, nothing allocated per point), then the block is selected from with a bounded heap of
    /// (score, slot) values. Filters are checked only for rows that would enter the heap, so an unfiltered or loosely
    /// filtered query costs the scan alone; hits (and their payloads) are materialised for the final k only.
    /// Equal scores are ordered by id, so the result does not depend on slot order.
    /// </summary>
    public ValueTask<IReadOnlyList<VectorHit>> SearchAsync(VectorSearch query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var hasDense = !query.Dense.IsEmpty;
        if (hasDense && query.Dense.Length != Dimensions)
        {
            throw new ArgumentException($"Query vector has {query.Dense.Length} dimensions; the index has {Dimensions}.", nameof(query));
        }

        if (query.TopK <= 0)
        {
            return ValueTask.FromResult<IReadOnlyList<VectorHit>>([]);
        }

        _lock.EnterReadLock();
        try
        {
            var count = _ids.Count;
            var heap = new TopK(Math.Min(query.TopK, count), _ids);
            var scores = t_scores ??= new float[BlockRows];
            if (query.Filter?.OnlyIds is { } only)
            {
                // Candidates given by id are looked up, not scanned for: re-ranking a few hundred costs microseconds.
                foreach (var id in only)
                {
                    if (_slots.TryGetValue(id, out var slot))
                    {
                        var score = Score(query, hasDense, slot);
                        if (heap.Beats(score, slot) && Passes(query.Filter, slot))
                        {
                            heap.Add(score, slot);
                        }
                    }
                }
            }
            else
            {
                for (var first = 0; first < count; first += BlockRows)
                {
                    var rows = Math.Min(BlockRows, count - first);
                    ScoreBlock(query, hasDense, first, scores.AsSpan(0, rows));
                    for (var i = 0; i < rows; i++)
                    {
                        var slot = first + i;
                        if (heap.Beats(scores[i], slot) && Passes(query.Filter, slot))
                        {
                            heap.Add(scores[i], slot);
                        }
                    }
                }
            }

            var ranked = heap.Drain();
            var hits = new VectorHit[ranked.Length];
            for (var i = 0; i < ranked.Length; i++)
            {
                var slot = ranked[i].Slot;
                // Without a sparse query the kept score is the dense one; otherwise split it again for the caller.
                double dense = query.Sparse is null ? ranked[i].Score : hasDense ? TensorPrimitives.Dot(query.Dense.Span, Row(slot)) : 0;
                hits[i] = new VectorHit(_ids[slot], dense, SparseScore(query, slot), _payloads[slot]);
            }

            return ValueTask.FromResult<IReadOnlyList<VectorHit>>(hits);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    private ReadOnlySpan<float> Row(int slot) => _buffer.AsSpan(slot * Dimensions, Dimensions);

    private void ScoreBlock(VectorSearch query, bool hasDense, int first, Span<float> scores)
    {
        if (hasDense)
        {
            DotRows(query.Dense.Span, _buffer.AsSpan(first * Dimensions, scores.Length * Dimensions), Dimensions, scores);
        }
        else
        {
            scores.Clear();
        }

        if (query.Sparse is not null)
        {
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] += SparseScore(query, first + i);
            }
        }
    }

    /// <summary>
    /// Dot products of the query with consecutive rows, four rows at a time: four independent sequential read streams
    /// keep more loads in flight than one row after another, and each query load serves four rows.
    /// </summary>
    private static void DotRows(ReadOnlySpan<float> query, ReadOnlySpan<float> rows, int dimensions, Span<float> scores)
    {
        var row = 0;
        var width = Vector256<float>.Count;
        if (Vector256.IsHardwareAccelerated && dimensions >= width)
        {
            ref var q = ref MemoryMarshal.GetReference(query);
            var vectorEnd = dimensions - (dimensions % width);
            for (; row + 4 <= scores.Length; row += 4)
            {
                ref var r0 = ref MemoryMarshal.GetReference(rows.Slice(row * dimensions, 4 * dimensions));
                ref var r1 = ref Unsafe.Add(ref r0, dimensions);
                ref var r2 = ref Unsafe.Add(ref r1, dimensions);
                ref var r3 = ref Unsafe.Add(ref r2, dimensions);
                Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
                for (var j = 0; j < vectorEnd; j += width)
                {
                    var offset = (nuint)j;
                    var qv = Vector256.LoadUnsafe(ref q, offset);
                    a0 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r0, offset), qv, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r1, offset), qv, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r2, offset), qv, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r3, offset), qv, a3);
                }

                float s0 = Vector256.Sum(a0), s1 = Vector256.Sum(a1), s2 = Vector256.Sum(a2), s3 = Vector256.Sum(a3);
                for (var j = vectorEnd; j < dimensions; j++)
                {
                    var qj = Unsafe.Add(ref q, j);
                    s0 += Unsafe.Add(ref r0, j) * qj;
                    s1 += Unsafe.Add(ref r1, j) * qj;
                    s2 += Unsafe.Add(ref r2, j) * qj;
                    s3 += Unsafe.Add(ref r3, j) * qj;
                }

                scores[row] = s0;
                scores[row + 1] = s1;
                scores[row + 2] = s2;
                scores[row + 3] = s3;
            }
        }

        for (; row < scores.Length; row++)
        {
            scores[row] = TensorPrimitives.Dot(query, rows.Slice(row * dimensions, dimensions));
        }
    }

    private float Score(VectorSearch query, bool hasDense, int slot) =>
        (hasDense ? TensorPrimitives.Dot(query.Dense.Span, Row(slot)) : 0) + SparseScore(query, slot);

    private float SparseScore(VectorSearch query, int slot) =>
        query.Sparse is not null && _sparse[slot] is { } sparse ? query.Sparse.Dot(sparse) : 0;

    private bool Passes(VectorFilter? filter, int slot)
    {
        if (filter is null)
        {
            return true;
        }

        if (filter.ExcludeIds is { Count: > 0 } excluded && excluded.Contains(_ids[slot]))
        {
            return false;
        }

        return filter.Match is not { Count: > 0 } match || Matches(_payloads[slot], match);
    }

    /// <summary>Replaces every point with those of <paramref name="loaded"/> (a saved index read at start).</summary>
    public void ReplaceWith(InMemoryVectorIndex loaded)
    {
        ArgumentNullException.ThrowIfNull(loaded);
        if (loaded.Dimensions != Dimensions)
        {
            throw new ArgumentException($"The loaded index has {loaded.Dimensions} dimensions; this one {Dimensions}.", nameof(loaded));
        }

        _lock.EnterWriteLock();
        loaded._lock.EnterReadLock();
        try
        {
            _buffer = (float[])loaded._buffer.Clone();
            _slots.Clear();
            _ids.Clear();
            _sparse.Clear();
            _payloads.Clear();
            foreach (var (id, slot) in loaded._slots)
            {
                _slots[id] = slot;
            }

            _ids.AddRange(loaded._ids);
            _sparse.AddRange(loaded._sparse);
            _payloads.AddRange(loaded._payloads);
        }
        finally
        {
            loaded._lock.ExitReadLock();
            _lock.ExitWriteLock();
        }
    }

    /// <summary>
    /// The best k (score, slot) pairs seen so far: a min-heap on flat arrays whose root is the worst kept pair, so a
    /// row that does not beat the root costs one comparison.
    /// </summary>
    private struct TopK(int capacity, List<Guid> ids)
    {
        private readonly (float Score, int Slot)[] _items = new (float, int)[capacity];
        private int _count;

        public readonly bool Beats(float score, int slot) =>
            _items.Length > 0 && (_count < _items.Length || Better(score, slot, _items[0].Score, _items[0].Slot));

        public void Add(float score, int slot)
        {
            if (_count < _items.Length)
            {
                var i = _count++;
                _items[i] = (score, slot);
                SiftUp(i);
            }
            else
            {
                _items[0] = (score, slot);
                SiftDown(0, _count);
            }
        }

        /// <summary>The kept pairs, best first (heap-sorted in place).</summary>
        public (float Score, int Slot)[] Drain()
        {
            for (var end = _count - 1; end > 0; end--)
            {
                (_items[0], _items[end]) = (_items[end], _items[0]);
                SiftDown(0, end);
            }

            return _count == _items.Length ? _items : _items[.._count];
        }

        private readonly bool Better(float score, int slot, float otherScore, int otherSlot) =>
            score > otherScore || (score == otherScore && ids[slot].CompareTo(ids[otherSlot]) < 0);

        private readonly bool Worse(int a, int b) => Better(_items[b].Score, _items[b].Slot, _items[a].Score, _items[a].Slot);

        private readonly void SiftUp(int i)
        {
            while (i > 0)
            {
                var parent = (i - 1) / 2;
                if (!Worse(i, parent))
                {
                    return;
                }

                (_items[i], _items[parent]) = (_items[parent], _items[i]);
                i = parent;
            }
        }

        private readonly void SiftDown(int i, int count)
        {
            while (true)
            {
                var worst = i;
                var left = (2 * i) + 1;
                var right = left + 1;
                if (left < count && Worse(left, worst))
                {
                    worst = left;
                }

                if (right < count && Worse(right, worst))
                {
                    worst = right;
                }

                if (worst == i)
                {
                    return;
                }

                (_items[i], _items[worst]) = (_items[worst], _items[i]);
                i = worst;
            }
        }
    }

    /// <summary>Writes every point (ids, vectors, sparse vectors, payloads) in a versioned binary format.</summary>
    public async Task SaveAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            _lock.EnterReadLock();
            try
            {
                writer.Write(FormatMagic);
                writer.Write(FormatVersion);
                writer.Write(Dimensions);
                writer.Write(_ids.Count);
                for (var slot = 0; slot < _ids.Count; slot++)
                {
                    writer.Write(_ids[slot].ToByteArray());
                    foreach (var value in _buffer.AsSpan(slot * Dimensions, Dimensions))
                    {
                        writer.Write(value);
                    }

                    var sparse = _sparse[slot];
                    writer.Write(sparse?.Indices.Length ?? -1);
                    if (sparse is not null)
                    {
                        for (var i = 0; i < sparse.Indices.Length; i++)
                        {
                            writer.Write(sparse.Indices[i]);
                            writer.Write(sparse.Values[i]);
                        }
                    }

                    var payload = _payloads[slot];
                    writer.Write(payload.Count);
                    foreach (var (key, value) in payload)
                    {
                        writer.Write(key);
                        writer.Write(value);
                    }
                }
            }
            finally
            {
                _lock.ExitReadLock();
            }
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(stream, cancellationToken);
    }

    public static async Task<InMemoryVectorIndex> LoadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        buffer.Position = 0;
        using var reader = new BinaryReader(buffer, System.Text.Encoding.UTF8);
        if (reader.ReadInt32() != FormatMagic)
        {
            throw new InvalidDataException("Not a vector index file.");
        }

        var version = reader.ReadInt32();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"Vector index format {version} is not supported (expected {FormatVersion}).");
        }

        var index = new InMemoryVectorIndex(reader.ReadInt32());
        var count = reader.ReadInt32();
        var dense = new float[index.Dimensions];
        for (var n = 0; n < count; n++)
        {
            var id = new Guid(reader.ReadBytes(16));
            for (var i = 0; i < dense.Length; i++)
            {
                dense[i] = reader.ReadSingle();
            }

            SparseVector? sparse = null;
            var sparseLength = reader.ReadInt32();
            if (sparseLength >= 0)
            {
                var indices = new int[sparseLength];
                var values = new float[sparseLength];
                for (var i = 0; i < sparseLength; i++)
                {
                    indices[i] = reader.ReadInt32();
                    values[i] = reader.ReadSingle();
                }

                sparse = new SparseVector(indices, values);
            }

            var payloadCount = reader.ReadInt32();
            var payload = new Dictionary<string, string>(payloadCount);
            for (var i = 0; i < payloadCount; i++)
            {
                payload[reader.ReadString()] = reader.ReadString();
            }

            await index.UpsertAsync(new VectorRecord(id, dense, sparse, payload), cancellationToken);
        }

        return index;
    }

    private static bool Matches(IReadOnlyDictionary<string, string> payload, IReadOnlyDictionary<string, string> match)
    {
        foreach (var (key, value) in match)
        {
            if (!payload.TryGetValue(key, out var actual) || !string.Equals(actual, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private void EnsureCapacity(int points)
    {
        if (points * Dimensions <= _buffer.Length)
        {
            return;
        }

        var grown = new float[Math.Max(points, _buffer.Length / Dimensions * 2) * Dimensions];
        _buffer.AsSpan().CopyTo(grown);
        _buffer = grown;
    }
}
