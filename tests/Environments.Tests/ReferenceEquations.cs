namespace RlExperiments.Environments.Tests;

/// <summary>
/// Gymnasium 1.1's classic-control equations, transcribed directly from the Python source in the plainest form
/// (arrays, Math.Pow) so the tests compare the environments against the formulas, not against themselves.
/// </summary>
public static class ReferenceEquations
{
    public static double[] CartPoleStep(double[] s, int action)
    {
        double gravity = 9.8, masscart = 1.0, masspole = 0.1, length = 0.5, forceMag = 10.0, tau = 0.02;
        var totalMass = masspole + masscart;
        var polemassLength = masspole * length;
        double x = s[0], xDot = s[1], theta = s[2], thetaDot = s[3];
        var force = action == 1 ? forceMag : -forceMag;
        var costheta = Math.Cos(theta);
        var sintheta = Math.Sin(theta);
        var temp = (force + polemassLength * Math.Pow(thetaDot, 2) * sintheta) / totalMass;
        var thetaacc = (gravity * sintheta - costheta * temp) / (length * (4.0 / 3.0 - masspole * Math.Pow(costheta, 2) / totalMass));
        var xacc = temp - polemassLength * thetaacc * costheta / totalMass;
        return [x + tau * xDot, xDot + tau * xacc, theta + tau * thetaDot, thetaDot + tau * thetaacc];
    }

    public static double[] AcrobotDsdt(double[] sAugmented)
    {
        double m1 = 1, m2 = 1, l1 = 1, lc1 = 0.5, lc2 = 0.5, i1 = 1, i2 = 1, g = 9.8;
        var a = sAugmented[4];
        double theta1 = sAugmented[0], theta2 = sAugmented[1], dtheta1 = sAugmented[2], dtheta2 = sAugmented[3];
        var d1 = m1 * Math.Pow(lc1, 2) + m2 * (Math.Pow(l1, 2) + Math.Pow(lc2, 2) + 2 * l1 * lc2 * Math.Cos(theta2)) + i1 + i2;
        var d2 = m2 * (Math.Pow(lc2, 2) + l1 * lc2 * Math.Cos(theta2)) + i2;
        var phi2 = m2 * lc2 * g * Math.Cos(theta1 + theta2 - Math.PI / 2.0);
        var phi1 = -m2 * l1 * lc2 * Math.Pow(dtheta2, 2) * Math.Sin(theta2)
                   - 2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * Math.Sin(theta2)
                   + (m1 * lc1 + m2 * l1) * g * Math.Cos(theta1 - Math.PI / 2) + phi2;
        var ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * Math.Pow(dtheta1, 2) * Math.Sin(theta2) - phi2)
                       / (m2 * Math.Pow(lc2, 2) + i2 - Math.Pow(d2, 2) / d1);
        var ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
        return [dtheta1, dtheta2, ddtheta1, ddtheta2, 0.0];
    }

    /// <summary>Gymnasium's rk4(derivs, y0, [0, dt]) returning the first 4 components, then wrap/bound.</summary>
    public static double[] AcrobotStep(double[] s, int action)
    {
        double[] torques = [-1.0, 0.0, 1.0];
        double[] y0 = [s[0], s[1], s[2], s[3], torques[action]];
        double dt = 0.2, dt2 = dt / 2.0;
        var k1 = AcrobotDsdt(y0);
        var k2 = AcrobotDsdt(Add(y0, dt2, k1));
        var k3 = AcrobotDsdt(Add(y0, dt2, k2));
        var k4 = AcrobotDsdt(Add(y0, dt, k3));
        var ns = new double[4];
        for (var i = 0; i < 4; i++)
            ns[i] = y0[i] + dt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
        ns[0] = Wrap(ns[0], -Math.PI, Math.PI);
        ns[1] = Wrap(ns[1], -Math.PI, Math.PI);
        ns[2] = Math.Min(Math.Max(ns[2], -4 * Math.PI), 4 * Math.PI);
        ns[3] = Math.Min(Math.Max(ns[3], -9 * Math.PI), 9 * Math.PI);
        return ns;
    }

    public static bool AcrobotTerminal(double[] s) => -Math.Cos(s[0]) - Math.Cos(s[1] + s[0]) > 1.0;

    public static double Wrap(double x, double m, double big)
    {
        var diff = big - m;
        while (x > big) x -= diff;
        while (x < m) x += diff;
        return x;
    }

    /// <summary>Python's float modulo: the result takes the sign of the divisor.</summary>
    public static double PyMod(double a, double b)
    {
        var r = Math.IEEERemainder(a, b);
        if (r != 0 && (r < 0) != (b < 0)) r += b;
        return r;
    }

    public static double AngleNormalize(double x) => PyMod(x + Math.PI, 2 * Math.PI) - Math.PI;

    private static double[] Add(double[] y, double h, double[] k)
    {
        var r = new double[y.Length];
        for (var i = 0; i < y.Length; i++) r[i] = y[i] + h * k[i];
        return r;
    }
}
