namespace Hustle.Web.Sync;

/// <summary>
/// Runs one piece of work for many callers at once: callers who arrive while a batch runs wait together for the next
/// one, and a lone caller's batch starts at once. So 10 000 users connecting together cost a few hundred queries, not
/// 10 000, while one user connecting waits for one query as before. One batch runs at a time, of at most
/// <paramref name="maxBatch"/> items; a batch that throws fails its own callers only.
/// </summary>
/// <param name="run">Does the work for a batch's items and says each item's result.</param>
public sealed class Batched<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<Func<TItem, TResult>>> run, int maxBatch)
{
    private readonly Lock _lock = new();
    private readonly Queue<(TItem Item, TaskCompletionSource<TResult> Done)> _waiting = new();
    private bool _running;

    public Task<TResult> RunAsync(TItem item)
    {
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_lock)
        {
            _waiting.Enqueue((item, done));
            start = !_running;
            _running = true;
        }

        if (start)
        {
            _ = Task.Run(RunBatchesAsync);
        }

        return done.Task;
    }

    private async Task RunBatchesAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_lock)
            {
                if (_waiting.Count == 0)
                {
                    _running = false;
                    return;
                }

                batch = new List<(TItem, TaskCompletionSource<TResult>)>(Math.Min(_waiting.Count, maxBatch));
                while (batch.Count < maxBatch && _waiting.TryDequeue(out var next))
                {
                    batch.Add(next);
                }
            }

            try
            {
                var resultOf = await run([.. batch.Select(b => b.Item)]);
                foreach (var (item, done) in batch)
                {
                    done.TrySetResult(resultOf(item));
                }
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(e);
                }
            }
        }
    }
}
