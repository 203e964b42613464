namespace Aicmo.Sdk.Pipeline;

/// <summary>
/// Items moved or written together: the unit that travels through the in-process transport (a batch of leads per channel
/// item) and the buffer a worker collects store writes in. Not thread-safe: one worker owns a batch at a time.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
internal sealed class Batch<T>
{
    private T[] _items;

    public Batch(int capacity) => _items = new T[Math.Max(1, capacity)];

    public int Count { get; private set; }

    /// <summary>
    /// Gets or sets the delivery this batch came out of, when it is the hand-on of a delivered batch (see
    /// <see cref="Transport.BatchLineage"/>): a transport across processes names the batches it hands on after it, so a batch
    /// worked on again after a crash hands on batches with the same names.
    /// </summary>
    public Transport.BatchLineage Lineage { get; set; }

    public T this[int index] => _items[index];

    public ReadOnlyMemory<T> Memory => _items.AsMemory(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = item;
    }

    /// <summary>Replaces the item at <paramref name="index"/>.</summary>
    public void Set(int index, T item) => _items[index] = item;

    /// <summary>Shortens the batch to <paramref name="count"/> items, letting go of the rest.</summary>
    public void Truncate(int count)
    {
        if (count < Count)
        {
            Array.Clear(_items, count, Count - count);
            Count = count;
        }
    }

    public void Clear() => Truncate(0);
}
