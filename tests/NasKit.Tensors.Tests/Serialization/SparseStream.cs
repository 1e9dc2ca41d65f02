namespace NasKit.Tensors.Tests.Serialization;

/// <summary>
/// A seekable read-only stream that reports a large length but stores only a short prefix (the rest reads as zeros), so a test
/// can present a file larger than any header limit without allocating it.
/// </summary>
internal sealed class SparseStream(byte[] prefix, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Clamp(length - _position, 0, count);
        for (var i = 0; i < n; i++)
        {
            var p = _position + i;
            buffer[offset + i] = p < prefix.Length ? prefix[p] : (byte)0;
        }

        _position += n;
        return n;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        _position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => length + offset,
        };
        return _position;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
