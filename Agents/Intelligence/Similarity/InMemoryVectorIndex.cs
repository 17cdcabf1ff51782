using System.Numerics.Tensors;
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

    private static readonly IReadOnlyDictionary<string, string> NoPayload = new Dictionary<string, string>();

    private readonly Lock _gate = new();
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
            lock (_gate)
            {
                return _ids.Count;
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

        lock (_gate)
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
            _payloads[slot] = record.Payload is null ? NoPayload : new Dictionary<string, string>(record.Payload);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        lock (_gate)
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
    }

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

        var excluded = query.Filter?.ExcludeIds;
        var match = query.Filter?.Match;
        lock (_gate)
        {
            var dense = query.Dense.Span;
            // A bounded min-heap keeps the best TopK without sorting every candidate.
            var best = new PriorityQueue<VectorHit, double>(query.TopK + 1);
            for (var slot = 0; slot < _ids.Count; slot++)
            {
                var id = _ids[slot];
                if (excluded is not null && excluded.Contains(id))
                {
                    continue;
                }

                var payload = _payloads[slot];
                if (match is not null && !Matches(payload, match))
                {
                    continue;
                }

                double denseScore = hasDense ? TensorPrimitives.Dot(dense, _buffer.AsSpan(slot * Dimensions, Dimensions)) : 0;
                double sparseScore = query.Sparse is not null && _sparse[slot] is { } sparse ? query.Sparse.Dot(sparse) : 0;
                var hit = new VectorHit(id, denseScore, sparseScore, payload);
                if (best.Count < query.TopK)
                {
                    best.Enqueue(hit, hit.Score);
                }
                else if (best.TryPeek(out _, out var worst) && hit.Score > worst)
                {
                    best.EnqueueDequeue(hit, hit.Score);
                }
            }

            var hits = new List<VectorHit>(best.Count);
            while (best.TryDequeue(out var hit, out _))
            {
                hits.Add(hit);
            }

            hits.Reverse();
            return ValueTask.FromResult<IReadOnlyList<VectorHit>>(hits);
        }
    }

    /// <summary>Writes every point (ids, vectors, sparse vectors, payloads) in a versioned binary format.</summary>
    public async Task SaveAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            lock (_gate)
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
