using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using AspireTickets.Domain.Archive;

namespace AspireTickets.Infrastructure.Archive;

/// <summary>
/// The distributed run's raw archive: objects <c>raw/&lt;source&gt;/&lt;yyyy-MM-dd&gt;/&lt;id&gt;</c> in the bucket the CDK
/// stack creates (<c>AWS:Resources:rawtickets:BucketName</c>). S3 writes are atomic per object, so no temp+rename is needed.
/// </summary>
public sealed class S3RawArchive(IAmazonS3 s3, string bucketName) : IRawArchive
{
    public const string KeyPrefix = "raw/";

    public string BucketName { get; } = bucketName;

    public async Task<string> SaveAsync(RawPayload payload, CancellationToken cancellationToken = default)
    {
        var key = payload.Key;
        using var body = new MemoryStream(payload.Content.ToArray(), writable: false);
        var request = new PutObjectRequest
        {
            BucketName = BucketName,
            Key = KeyPrefix + key,
            InputStream = body,
            ContentType = string.IsNullOrWhiteSpace(payload.ContentType) ? "application/octet-stream" : payload.ContentType,
            AutoCloseStream = false,
            // The payload is in memory: sign it whole instead of streaming aws-chunked signatures.
            UseChunkEncoding = false,
        };
        request.Metadata["source"] = payload.Source;
        request.Metadata["received-at"] = payload.ReceivedAt.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        await s3.PutObjectAsync(request, cancellationToken);
        return key;
    }

    public async Task<byte[]?> LoadAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await s3.GetObjectAsync(BucketName, KeyPrefix + key, cancellationToken);
            using var buffer = new MemoryStream();
            await response.ResponseStream.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }
}
