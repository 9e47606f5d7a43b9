using System.Runtime.InteropServices;
using SkiaSharp;

namespace RlExperiments.Rendering.ClassicControl;

/// <summary>
/// A white drawing surface in the coordinates Gymnasium's pygame renderers use: pixel (x, y) counted from the bottom-left
/// corner (pygame draws y-down and flips the surface at the end; this canvas flips first). Shapes are anti-aliased, as
/// <c>gfxdraw.aapolygon</c> + <c>filled_polygon</c> draw them; a pixel coordinate means that pixel's centre.
/// </summary>
internal sealed class Canvas : IDisposable
{
    private readonly SKBitmap _bitmap;
    private readonly SKCanvas _canvas;
    private readonly SKPaint _paint = new() { IsAntialias = true, Style = SKPaintStyle.Fill };

    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        _bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        _canvas = new SKCanvas(_bitmap);
        _canvas.Clear(SKColors.White);
        // y up, and pixel (x, y) at its centre: continuous y maps to Height - y.
        _canvas.Translate(0, height);
        _canvas.Scale(1, -1);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>A filled polygon through pixel centres (Gymnasium's aapolygon + filled_polygon).</summary>
    public void Polygon(ReadOnlySpan<(double X, double Y)> points, SKColor color)
    {
        using var builder = new SKPathBuilder();
        builder.MoveTo(Px(points[0].X), Px(points[0].Y));
        for (var i = 1; i < points.Length; i++)
            builder.LineTo(Px(points[i].X), Px(points[i].Y));
        builder.Close();
        using var path = builder.Detach();
        _paint.Style = SKPaintStyle.Fill;
        _paint.Color = color;
        _canvas.DrawPath(path, _paint);
    }

    /// <summary>A filled circle of integer centre and radius: the pixels within <paramref name="radius"/> of the centre pixel (aacircle + filled_circle).</summary>
    public void Circle(int x, int y, int radius, SKColor color)
    {
        _paint.Style = SKPaintStyle.Fill;
        _paint.Color = color;
        _canvas.DrawCircle(Px(x), Px(y), radius + 0.5f, _paint);
    }

    /// <summary>A one-pixel line through pixel centres (pygame.draw.line / aalines).</summary>
    public void Line(double x0, double y0, double x1, double y1, SKColor color)
    {
        _paint.Style = SKPaintStyle.Stroke;
        _paint.StrokeWidth = 1;
        _paint.Color = color;
        _canvas.DrawLine(Px(x0), Px(y0), Px(x1), Px(y1), _paint);
    }

    /// <summary>An open one-pixel polyline through pixel centres (pygame.draw.aalines with closed=False).</summary>
    public void Polyline(ReadOnlySpan<(double X, double Y)> points, SKColor color)
    {
        using var builder = new SKPathBuilder();
        builder.MoveTo(Px(points[0].X), Px(points[0].Y));
        for (var i = 1; i < points.Length; i++)
            builder.LineTo(Px(points[i].X), Px(points[i].Y));
        using var path = builder.Detach();
        _paint.Style = SKPaintStyle.Stroke;
        _paint.StrokeWidth = 1;
        _paint.Color = color;
        _canvas.DrawPath(path, _paint);
    }

    /// <summary>The pixels of row <paramref name="y"/> from column <paramref name="x0"/> to <paramref name="x1"/> inclusive (gfxdraw.hline).</summary>
    public void HLine(int x0, int x1, int y, SKColor color) => Rect(x0, y, x1 + 1, y + 1, color);

    /// <summary>The pixels of column <paramref name="x"/> from row <paramref name="y0"/> to <paramref name="y1"/> inclusive (gfxdraw.vline).</summary>
    public void VLine(int x, int y0, int y1, SKColor color) => Rect(x, Math.Min(y0, y1), x + 1, Math.Max(y0, y1) + 1, color);

    /// <summary>
    /// A circular arrow around (<paramref name="cx"/>, <paramref name="cy"/>) in a square of side <paramref name="size"/>:
    /// clockwise on the screen when <paramref name="clockwise"/>, else counter-clockwise (stands for Gymnasium's
    /// <c>clockwise.png</c> torque arrow, which we draw rather than ship).
    /// </summary>
    public void CircularArrow(double cx, double cy, double size, bool clockwise, SKColor color)
    {
        if (size < 2) return;
        var radius = (float)(size * 0.38);
        var stroke = (float)Math.Max(1, size * 0.09);
        // In these y-up coordinates a positive sweep is counter-clockwise on the screen.
        const float start = 100f, sweep = 270f;
        var rect = new SKRect(Px(cx) - radius, Px(cy) - radius, Px(cx) + radius, Px(cy) + radius);
        var sign = clockwise ? -1f : 1f;
        _paint.Style = SKPaintStyle.Stroke;
        _paint.StrokeWidth = stroke;
        _paint.StrokeCap = SKStrokeCap.Butt;
        _paint.Color = color;
        using (var arcBuilder = new SKPathBuilder())
        {
            arcBuilder.AddArc(rect, start * sign, sweep * sign);
            using var arc = arcBuilder.Detach();
            _canvas.DrawPath(arc, _paint);
        }
        // The head: a triangle at the arc's end, pointing along the direction of travel.
        var end = (start + sweep) * sign * Math.PI / 180;
        var (sin, cos) = Math.SinCos(end);
        var tip = (X: Px(cx) + radius * cos, Y: Px(cy) + radius * sin);
        var tangent = (X: -sin * sign, Y: cos * sign);
        var normal = (X: cos, Y: sin);
        var head = stroke * 1.8;
        using var triangleBuilder = new SKPathBuilder();
        triangleBuilder.MoveTo((float)(tip.X + tangent.X * head), (float)(tip.Y + tangent.Y * head));
        triangleBuilder.LineTo((float)(tip.X + normal.X * head), (float)(tip.Y + normal.Y * head));
        triangleBuilder.LineTo((float)(tip.X - normal.X * head), (float)(tip.Y - normal.Y * head));
        triangleBuilder.Close();
        using var triangle = triangleBuilder.Detach();
        _paint.Style = SKPaintStyle.Fill;
        _canvas.DrawPath(triangle, _paint);
    }

    /// <summary>The image as an <see cref="RgbFrame"/> (top row first).</summary>
    public RgbFrame ToFrame()
    {
        _canvas.Flush();
        var rgba = new byte[Width * Height * 4];
        Marshal.Copy(_bitmap.GetPixels(), rgba, 0, rgba.Length);
        var rgb = new byte[Width * Height * 3];
        for (int p = 0, s = 0, d = 0; p < Width * Height; p++, s += 4, d += 3)
        {
            // Opaque everywhere (a white background), so premultiplied equals straight alpha.
            rgb[d] = rgba[s];
            rgb[d + 1] = rgba[s + 1];
            rgb[d + 2] = rgba[s + 2];
        }
        return new RgbFrame(Width, Height, rgb);
    }

    public void Dispose()
    {
        _paint.Dispose();
        _canvas.Dispose();
        _bitmap.Dispose();
    }

    private void Rect(int left, int bottom, int right, int top, SKColor color)
    {
        _paint.Style = SKPaintStyle.Fill;
        _paint.Color = color;
        _canvas.DrawRect(new SKRect(left, bottom, right, top), _paint);
    }

    private static float Px(double v) => (float)(v + 0.5);
}
